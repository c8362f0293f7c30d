import { describe, expect, it } from 'vitest';
import { testDialects } from '../support/databases.js';
import { createTestApp, openTestIncident, profiles, type TestApp } from '../support/test-app.js';

const ACCOUNTS = `id,email,name,status,country,state
u1,ada@example.com,Ada,active,United States,New York
u2,bo@example.com,Bo,active,,
u3,cy@example.com,Cy,active,Japan,
`;

async function placesOf(app: TestApp, incidentId: string) {
  await app.impact.analyze(incidentId);
  const rows = await app.store.db
    .selectFrom('person')
    .select(['account_id', 'kind', 'country', 'region'])
    .where('incident_id', '=', incidentId)
    .execute();
  return Object.fromEntries(
    rows.map((row) => [row.account_id ?? row.kind, `${row.country ?? '-'}/${row.region ?? '-'}`]),
  );
}

describe.each(testDialects())('where people are, on %s', (dialect) => {
  it('keeps each record’s country and region in clear and no other location value', async () => {
    const app = await createTestApp(dialect);
    const id = await openTestIncident(app);
    await app.datasets.import({
      incidentId: id,
      path: app.write(
        'people.ndjson',
        profiles({
          $distinct_id: 'x1',
          $properties: {
            $email: 'x1@example.org',
            $city: 'Sacramento',
            $region: 'California',
            $country_code: 'us',
          },
        }),
      ),
      format: 'auto',
    });
    const records = await app.store.db.selectFrom('exposed_record').selectAll().execute();
    expect(records.map((row) => [row.country, row.region])).toEqual([['US', 'CA']]);
    expect(JSON.stringify(records)).not.toContain('Sacramento');
  });

  it('places a person where most of their records are, with the region most of those give', async () => {
    const app = await createTestApp(dialect);
    await app.directory.import({ accounts: app.write('accounts.csv', ACCOUNTS) });
    const id = await openTestIncident(app);
    let inserts = 0;
    const event = (user: string, country: string | null, region: string | null) => ({
      event: 'Viewed',
      properties: {
        time: 1_700_000_000,
        distinct_id: user,
        $insert_id: `i-${++inserts}`,
        mp_country_code: country,
        $region: region,
      },
    });
    await app.datasets.import({
      incidentId: id,
      path: app.write(
        'events.ndjson',
        profiles(
          event('u2', 'DE', 'Bavaria'),
          event('u2', 'FR', null),
          event('u2', 'DE', null),
          event('u2', 'DE', null),
          event('u2', 'DE', 'Berlin'),
          event('u2', 'DE', 'Berlin'),
          event('u1', 'BR', 'SP'),
          event('stranger', null, null),
        ),
      ),
      format: 'mixpanel-events',
    });
    expect(await placesOf(app, id)).toEqual({
      // Records win over the directory: u1's account says New York.
      u1: 'BR/SP',
      u2: 'DE/BERLIN',
      uncontactable: '-/-',
    });
  });

  it('falls back to the directory account’s country and state when the records say nowhere', async () => {
    const app = await createTestApp(dialect);
    await app.directory.import({ accounts: app.write('accounts.csv', ACCOUNTS) });
    const id = await openTestIncident(app);
    await app.datasets.import({
      incidentId: id,
      path: app.write(
        'people.ndjson',
        profiles(
          { $distinct_id: 'u1', $properties: { $name: 'Ada' } },
          { $distinct_id: 'u2', $properties: { $name: 'Bo' } },
          { $distinct_id: 'u3', $properties: { $name: 'Cy' } },
        ),
      ),
      format: 'auto',
    });
    expect(await placesOf(app, id)).toEqual({
      u1: 'US/NY',
      u2: '-/-',
      u3: 'JP/-',
    });
  });
});
