import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from '../../src/adapters/secret-box.js';
import { readValueBlock } from '../../src/ingest/value-block.js';
import { testDialects } from '../support/databases.js';
import { TEST_KEY, createTestApp, openTestIncident, type TestApp } from '../support/test-app.js';

const box = createSecretBox(Buffer.from(TEST_KEY, 'hex'));

/**
 * Several raw batches' worth of rows (over 4,096 rows and 512 KB) with every kind of problem
 * between valid ones: malformed JSON, no identity key, invalid UTF-8, a blank line, CRLF, and a
 * row over the 1 MiB limit. Returns the bytes and each valid row's text by line.
 */
function mixedDataset(): { bytes: Buffer; texts: Map<number, string> } {
  const lines: Buffer[] = [];
  const texts = new Map<number, string>();
  for (let i = 1; i <= 6_000; i++) {
    let line: Buffer;
    if (i % 97 === 0) line = Buffer.from(`{"$distinct_id": "secret-${i}", oops}`);
    else if (i % 101 === 0) line = Buffer.from('{"$properties": {"$city": "Nowhere"}}');
    else if (i % 333 === 0) line = Buffer.from([0x7b, 0x22, 0xc3, 0x22, 0x3a, 0x31, 0x7d]);
    else if (i % 250 === 0) line = Buffer.from('   ');
    else if (i === 4_321) line = Buffer.from(`{"$distinct_id": "big", "pad": "${'x'.repeat(1_100_000)}"}`);
    else {
      const text = JSON.stringify({
        $distinct_id: `u${i}`,
        $properties: {
          $email: i % 7 === 0 ? undefined : `Person.${i}@Example.test`,
          $name: `Person ${i} Ünïcode`,
          $city: 'Lyon',
          $country_code: 'FR',
          org_id: i % 3 === 0 ? [`org-${i % 40}`, 'org-x'] : `org-${i % 40}`,
          favourite: i % 11 === 0 ? 'tea' : undefined,
        },
      });
      texts.set(i, text);
      line = Buffer.from(i % 13 === 0 ? `${text}\r` : text);
    }
    lines.push(line, Buffer.from('\n'));
  }
  return { bytes: gzipSync(Buffer.concat(lines)), texts };
}

async function importWith(app: TestApp, bytes: Buffer, threads: number) {
  const id = await openTestIncident(app);
  const path = app.write('mixed.ndjson.gz', bytes);
  const result = await app.datasets.import({ incidentId: id, path, format: 'auto', threads });
  const db = app.store.db;
  const records = await db
    .selectFrom('exposed_record')
    .select([
      'ordinal',
      'line',
      'subject',
      'user_key',
      'email_key',
      'email_sealed',
      'category_mask',
      'country',
      'region',
    ])
    .where('incident_id', '=', id)
    .orderBy('ordinal')
    .execute();
  const organizations = await db
    .selectFrom('record_organization')
    .select(['ordinal', 'organization_key'])
    .where('incident_id', '=', id)
    .orderBy('ordinal')
    .orderBy('organization_key')
    .execute();
  const blocks = await db
    .selectFrom('exposed_value')
    .select(['ordinal', 'record_count', 'values_sealed'])
    .where('incident_id', '=', id)
    .orderBy('ordinal')
    .execute();
  return {
    summary: { ...result, datasetId: undefined },
    records: records.map(({ email_sealed, ...record }) => ({
      ...record,
      email: email_sealed === null ? null : box.open(email_sealed),
    })),
    organizations,
    blocks,
    quarantine: await app.datasets.quarantine(id, 10_000),
  };
}

describe.each(testDialects())('dataset import with worker threads on %s', (dialect) => {
  it('stores the same records, keys and quarantined places with threads as without', async () => {
    const { bytes } = mixedDataset();
    const alone = await importWith(await createTestApp(dialect), bytes, 0);
    const threaded = await importWith(await createTestApp(dialect), bytes, 2);
    const shared = await importWith(await createTestApp(dialect), bytes, 1);
    expect(shared.summary).toEqual(alone.summary);
    expect(shared.records).toEqual(alone.records);
    expect(shared.organizations).toEqual(alone.organizations);
    expect(shared.quarantine).toEqual(alone.quarantine);
    expect(alone.summary).toMatchObject({ read: 5_976, quarantined: 5_976 - alone.records.length });
    expect(threaded.summary).toEqual(alone.summary);
    expect(threaded.records).toEqual(alone.records);
    expect(threaded.organizations).toEqual(alone.organizations);
    expect(threaded.quarantine).toEqual(alone.quarantine);
    const reasons = new Set(alone.quarantine.map((row) => row.reason));
    expect([...reasons].sort()).toEqual([
      'invalid UTF-8',
      'malformed JSON: invalid syntax',
      'no identity key ($distinct_id or distinct_id, email or organization id)',
      'row exceeds 1 MiB',
    ]);
    expect(alone.quarantine.find((row) => row.reason === 'row exceeds 1 MiB')?.line).toBe(4_321);
    expect(JSON.stringify(alone.quarantine)).not.toContain('secret-');
  });

  it("seals each record's values in blocks where its ordinal finds it, and its address alone", async () => {
    const { bytes, texts } = mixedDataset();
    const { records, blocks } = await importWith(await createTestApp(dialect), bytes, 2);
    expect(blocks.reduce((sum, block) => sum + Number(block.record_count), 0)).toBe(records.length);
    const values = new Map<number, unknown>();
    for (const block of blocks) {
      const opened = readValueBlock(Number(block.ordinal), box.open(block.values_sealed));
      expect(opened.size).toBe(Number(block.record_count));
      expect(Math.min(...opened.keys())).toBe(Number(block.ordinal));
      for (const [ordinal, value] of opened) values.set(ordinal, value);
    }
    for (const record of records) {
      const text = texts.get(record.line)!;
      expect(values.get(record.ordinal)).toEqual(JSON.parse(text));
      const { $properties } = JSON.parse(text) as { $properties: { $email?: string } };
      expect(record.email).toBe($properties.$email ?? null);
      expect(record.email_key).toBe($properties.$email ? box.hash($properties.$email.toLowerCase()) : null);
    }
  });

  it('finds the same bytes imported again while reading them, and rolls back what it wrote', async () => {
    const { bytes } = mixedDataset();
    const app = await createTestApp(dialect);
    const id = await openTestIncident(app);
    const path = app.write('mixed.ndjson.gz', bytes);
    const first = await app.datasets.import({ incidentId: id, path, format: 'auto', threads: 1 });
    const again = app.write('again.ndjson.gz', bytes);
    const second = await app.datasets.import({ incidentId: id, path: again, format: 'auto', threads: 1 });
    expect(second).toMatchObject({ duplicateOf: first.datasetId, read: 0 });
    const datasets = await app.datasets.list(id);
    expect(datasets.map((dataset) => [dataset.id, dataset.sha256])).toEqual([
      [first.datasetId, createHash('sha256').update(bytes).digest('hex')],
    ]);
    const records = await app.store.db
      .selectFrom('exposed_record')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('incident_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(records.n)).toBe(first.valid);
  });
});
