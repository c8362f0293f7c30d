import { describe, expect, it } from 'vitest';
import { testDialects } from '../support/databases.js';
import { createTestApp, profiles, type TestApp } from '../support/test-app.js';

const EXPOSED = 'identifier,name,email,location,credentials';

function person(id: string, country: string, region: string | null, password: boolean) {
  return {
    $distinct_id: id,
    $properties: {
      $email: `${id}@example.com`,
      $name: `Person ${id}`,
      $country_code: country,
      ...(region === null ? {} : { $region: region }),
      ...(password ? { password_hash: '$2b$10$abc' } : {}),
    },
  };
}

/** Passwords leaked with email addresses: California requires its "Notice of Data Breach" for those residents. */
async function credentialsCase(app: TestApp) {
  await app.vendors.add({ name: 'Mixpanel', categories: EXPOSED });
  const incident = await app.incidents.open({
    vendor: 'Mixpanel',
    title: 'Analytics export',
    exposed: EXPOSED,
    awareAt: '2026-11-19T00:00:00Z',
  });
  await app.datasets.import({
    incidentId: incident.id,
    path: app.write(
      'people.ndjson',
      profiles(
        person('ca-pw', 'US', 'California', true),
        person('ca-pw2', 'US', 'CA', true),
        person('ca-nopw', 'US', 'California', false),
        person('ny-pw', 'US', 'New York', true),
        person('de-pw', 'DE', null, true),
      ),
    ),
    format: 'auto',
    map: 'password_hash=credentials',
  });
  return incident.id;
}

const headingsOf = (text: string) =>
  ['Notice of Data Breach', 'What Happened', 'What Information Was Involved', 'For More Information'].filter(
    (heading) => text.includes(heading),
  );

describe.each(testDialects())('the notice layout an obligation prescribes, on %s', (dialect) => {
  it('gives affected California residents the Notice of Data Breach layout and everyone else the default', async () => {
    const app = await createTestApp(dialect);
    const id = await credentialsCase(app);
    const result = await app.notices.plan(id);
    expect(result).toMatchObject({ added: 5, layouts: { 'notice-of-data-breach': 2, default: 3 } });
    for (const address of ['ca-pw@example.com', 'ca-pw2@example.com']) {
      expect(headingsOf((await app.notices.preview(id, address)).text)).toHaveLength(4);
    }
    // A Californian whose exposure California's law does not reach, and people elsewhere: the default.
    for (const address of ['ca-nopw@example.com', 'ny-pw@example.com', 'de-pw@example.com']) {
      expect(headingsOf((await app.notices.preview(id, address)).text)).toEqual([]);
    }
  });

  it('gives everyone the layout given with --layout', async () => {
    const app = await createTestApp(dialect);
    const id = await credentialsCase(app);
    expect(await app.notices.plan(id, { layout: 'default' })).toMatchObject({ layouts: { default: 5 } });
    expect(headingsOf((await app.notices.preview(id, 'ca-pw@example.com')).text)).toEqual([]);
  });

  it('prescribes no layout when California does not require notice (no passwords leaked)', async () => {
    const app = await createTestApp(dialect);
    await app.vendors.add({ name: 'Mixpanel', categories: EXPOSED });
    const incident = await app.incidents.open({
      vendor: 'Mixpanel',
      title: 'x',
      exposed: 'identifier,name,email',
    });
    await app.datasets.import({
      incidentId: incident.id,
      path: app.write('people.ndjson', profiles(person('ca-nopw', 'US', 'California', false))),
      format: 'auto',
    });
    expect(await app.notices.plan(incident.id)).toMatchObject({ layouts: { default: 1 } });
  });
});
