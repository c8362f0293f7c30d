import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { testDialects } from '../support/databases.js';
import { createTestApp, openTestIncident, profiles } from '../support/test-app.js';

describe.each(testDialects())('dataset import on %s', (dialect) => {
  it('imports the Mixpanel Engage API page sample with its chain of custody', async () => {
    const app = await createTestApp(dialect);
    const id = await openTestIncident(app);
    const path = join(app.dir, 'engage_response.json');
    copyFileSync('test/fixtures/mixpanel/engage_response.json', path);
    const result = await app.datasets.import({ incidentId: id, path, format: 'auto' });
    expect(result).toMatchObject({
      layout: 'api-page',
      compression: 'none',
      read: 2,
      valid: 2,
      quarantined: 0,
    });
    const [dataset] = await app.datasets.list(id);
    expect(dataset).toMatchObject({ fileName: 'engage_response.json', rowsRead: 2, importedBy: 'tester' });
    expect(dataset?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const impact = await app.impact.analyze(id);
    expect(impact.people).toEqual({ total: 2, matched: 0, unmatchedContactable: 2, uncontactable: 0 });
    expect(impact.categories).toMatchObject({ identifier: 2, name: 2, email: 2, device: 2, usage: 2 });
  });

  it('detects the same bytes imported twice and adds nothing', async () => {
    const app = await createTestApp(dialect);
    const id = await openTestIncident(app);
    const path = app.write(
      'p.ndjson.gz',
      gzipSync(profiles({ $distinct_id: 'a', $properties: { $email: 'a@a.test' } })),
    );
    const first = await app.datasets.import({ incidentId: id, path, format: 'auto' });
    const second = await app.datasets.import({ incidentId: id, path, format: 'auto' });
    expect(first.compression).toBe('gzip');
    expect(second.duplicateOf).toBe(first.datasetId);
    expect((await app.impact.analyze(id)).records).toEqual({ read: 1, valid: 1, quarantined: 0 });
  });

  it('lists quarantined rows with file, line and reason but never the values', async () => {
    const app = await createTestApp(dialect);
    const id = await openTestIncident(app);
    const path = app.write(
      'mixed.ndjson',
      profiles({ $distinct_id: 'a', $properties: {} }) +
        '{"$distinct_id": "secret-value", oops}\n' +
        '{"$properties": {"$city": "Nowhere"}}\n',
    );
    const result = await app.datasets.import({ incidentId: id, path, format: 'auto' });
    expect(result).toMatchObject({ read: 3, valid: 1, quarantined: 2 });
    const rows = await app.datasets.quarantine(id);
    expect(rows.map((row) => [row.file_name, row.line])).toEqual([
      ['mixed.ndjson', 2],
      ['mixed.ndjson', 3],
    ]);
    expect(JSON.stringify(rows)).not.toContain('secret-value');
    expect(JSON.stringify(rows)).not.toContain('Nowhere');
  });

  it('refuses a file with no valid row and writes nothing', async () => {
    const app = await createTestApp(dialect);
    const id = await openTestIncident(app);
    const path = app.write('junk.ndjson', '{"a":\n{"b":\n');
    await expect(app.datasets.import({ incidentId: id, path, format: 'auto' })).rejects.toThrow(
      /no valid records/,
    );
    expect(await app.datasets.list(id)).toEqual([]);
  });

  it('reports unknown fields by name and count', async () => {
    const app = await createTestApp(dialect);
    const id = await openTestIncident(app);
    const path = app.write(
      'p.ndjson',
      profiles(
        { $distinct_id: 'a', $properties: { plan: 'pro', favourite_colour: 'red' } },
        { $distinct_id: 'b', $properties: { plan: 'free' } },
      ),
    );
    const result = await app.datasets.import({ incidentId: id, path, format: 'auto' });
    expect(result.unknownFields).toEqual([
      ['plan', 2],
      ['favourite_colour', 1],
    ]);
  });
});
