import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { testDialects } from '../support/databases.js';
import { zipArchive } from '../ingest/zip-writer.js';
import { createTestApp, openTestIncident, type TestApp } from '../support/test-app.js';

const ndjson = (rows: Record<string, unknown>[]) => rows.map((row) => JSON.stringify(row)).join('\n') + '\n';

async function setUp(app: TestApp) {
  await app.directory.import({
    accounts: app.write('a.csv', 'id,email,name\nu-9,nine@acme.test,Nine\nu-10,ten@acme.test,Ten\n'),
    organizations: app.write('o.csv', 'id,name\norg-7,Seven Inc\n'),
    memberships: app.write('m.csv', 'org_id,account_id,role\norg-7,u-10,owner\n'),
  });
  return openTestIncident(app);
}

describe.each(testDialects())('importing vendor formats on %s', (dialect) => {
  it('collapses an Amplitude ZIP of gzipped event files into people, the union of their events', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(app);
    const day1 = ndjson([
      { event_type: 'page_view', user_id: 'u-9', device_id: 'd1', amplitude_id: 1, city: 'Oslo' },
      { event_type: 'click', user_id: 'u-9', device_id: 'd1', amplitude_id: 1, os_name: 'iOS' },
    ]);
    const day2 = ndjson([
      { event_type: 'click', user_id: 'u-9', amplitude_id: 1, user_properties: { email: 'nine@acme.test' } },
    ]);
    const zip = zipArchive([
      { name: '123/2025-11-24_1#0.json.gz', data: gzipSync(day1) },
      { name: '123/2025-11-24_2#0.json.gz', data: gzipSync(day2) },
    ]);
    const result = await app.datasets.import({
      incidentId: id,
      path: app.write('export.zip', zip),
      format: 'auto',
    });
    expect(result).toMatchObject({
      format: 'amplitude',
      compression: 'zip',
      read: 3,
      valid: 3,
      quarantined: 0,
    });
    const impact = await app.impact.analyze(id);
    expect(impact.people).toMatchObject({ total: 1, matched: 1 });
    expect(impact.categories).toMatchObject({ location: 1, device: 1, email: 1 });
  });

  it('impacts the organizations of Mixpanel group profiles without counting them as people', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(app);
    const groups = ndjson([
      { $distinct_id: 'org-7', $group_key: 'org_id', $properties: { $name: 'Seven Inc' } },
    ]);
    const result = await app.datasets.import({
      incidentId: id,
      path: app.write('groups.ndjson', groups),
      format: 'auto',
    });
    expect(result.format).toBe('mixpanel-groups');
    const impact = await app.impact.analyze(id);
    expect(impact).toMatchObject({ organizations: 1, adminRecipients: 1, recipients: 1 });
    expect(impact.people.total).toBe(0);
  });

  it('maps fields with --map, refuses unmapped fields under --strict and writes nothing then', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(app);
    const path = app.write(
      'people.ndjson',
      ndjson([{ $distinct_id: 'u-9', $properties: { plan: 'pro', favourite_colour: 'red' } }]),
    );
    await expect(app.datasets.import({ incidentId: id, path, format: 'auto', strict: true })).rejects.toThrow(
      /--strict: 2 fields have no category \(favourite_colour, plan\)/,
    );
    expect(await app.datasets.list(id)).toEqual([]);
    const result = await app.datasets.import({
      incidentId: id,
      path,
      format: 'auto',
      strict: true,
      map: 'plan=usage,favourite_colour=content',
    });
    expect(result.unknownFields).toEqual([]);
    const [dataset] = await app.datasets.list(id);
    expect(dataset).toMatchObject({
      format: 'mixpanel-people',
      mapping: { plan: 'usage', favourite_colour: 'content' },
    });
    expect(dataset?.importerVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect((await app.impact.analyze(id)).categories).toMatchObject({ usage: 1, content: 1 });
  });

  it('records the byte offset and zip entry of a quarantined row', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(app);
    const good = JSON.stringify({ $distinct_id: 'u-9', $properties: {} });
    const zip = zipArchive([{ name: 'people/part-1.ndjson', data: `${good}\n{broken\n${good}\n` }]);
    await app.datasets.import({ incidentId: id, path: app.write('p.zip', zip), format: 'mixpanel-people' });
    const [row] = await app.datasets.quarantine(id);
    expect(row).toMatchObject({ file_name: 'p.zip', source: 'people/part-1.ndjson', line: 2 });
    expect(Number(row?.byte_offset)).toBe(good.length + 1);
  });
});
