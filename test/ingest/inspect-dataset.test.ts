import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/core/categories.js';
import type { Category } from '../../src/core/categories.js';
import { inspectDataset } from '../../src/ingest/inspect-dataset.js';
import { ORG_KEYS, ndjson, sharedSample, temporaryFiles } from './dataset-files.js';
import { zipArchive } from './zip-writer.js';

const files = temporaryFiles();

function histogram(counts: Partial<Record<Category, number>>): Record<Category, number> {
  return Object.fromEntries(CATEGORIES.map((category) => [category, counts[category] ?? 0])) as Record<
    Category,
    number
  >;
}

const PEOPLE = `${ndjson([
  { $distinct_id: 'u1', $properties: { $email: 'ada@example.com', $city: 'London', plan: 'pro' } },
  { $distinct_id: 'u2', $properties: { $email: '', $city: 'Paris', plan: 'free', $browser: 'Firefox' } },
  { $properties: { plan: 'team' } },
])}{"$distinct_id": broken\n`;

describe('inspectDataset', () => {
  it('reports format, layout, counts, every field with its category and a category histogram', async () => {
    const inspection = await inspectDataset(await files.write('people.json', PEOPLE), { orgKeys: ORG_KEYS });
    expect(inspection).toEqual({
      format: 'mixpanel-people',
      layout: 'ndjson',
      compression: 'none',
      rows: 4,
      valid: 2,
      quarantined: 2,
      fields: [
        { name: 'plan', category: null, records: 3 },
        { name: '$city', category: 'location', records: 2 },
        { name: '$distinct_id', category: 'identifier', records: 2 },
        { name: '$browser', category: 'device', records: 1 },
        { name: '$email', category: 'email', records: 1 },
      ],
      fieldsTruncated: false,
      categories: histogram({ identifier: 2, email: 1, location: 2, device: 1 }),
    });
  });

  it('stops after the row limit, counting only the rows it read', async () => {
    const inspection = await inspectDataset(await files.write('people.json', PEOPLE), {
      orgKeys: ORG_KEYS,
      limit: 1,
    });
    expect(inspection).toMatchObject({ rows: 1, valid: 1, quarantined: 0 });
    expect(inspection.fields.map((field) => [field.name, field.records])).toEqual([
      ['$city', 1],
      ['$distinct_id', 1],
      ['$email', 1],
      ['plan', 1],
    ]);
  });

  it('applies the format and mapping given', async () => {
    const inspection = await inspectDataset(await files.write('people.json', PEOPLE), {
      orgKeys: ORG_KEYS,
      format: 'generic',
      mapping: new Map([['$properties.plan', 'usage']]),
    });
    expect(inspection.format).toBe('generic');
    expect(inspection.fields.find((field) => field.name === '$properties.plan')).toEqual({
      name: '$properties.plan',
      category: 'usage',
      records: 3,
    });
  });

  it('shows the fields of records that have no identity key, so a mapping can be written', async () => {
    const inspection = await inspectDataset(sharedSample('mixpanel-utils-fixtures/mparticle.jsonl'), {
      orgKeys: ORG_KEYS,
    });
    expect(inspection).toMatchObject({ format: 'generic', rows: 1, valid: 0, quarantined: 1 });
    expect(inspection.fields.map((field) => [field.name, field.category])).toEqual([
      ['batch_id', null],
      ['events', null],
      ['mpid', null],
      ['user_identities', null],
    ]);
  });

  it('inspects every entry of a zip archive', async () => {
    const archive = zipArchive([
      { name: 'a.json', data: ndjson([{ user_id: 'u1', event_type: 'x', city: 'Oslo' }]) },
      { name: 'b.json', data: ndjson([{ user_id: 'u2', event_type: 'y', os_name: 'iOS' }]) },
    ]);
    const inspection = await inspectDataset(await files.write('export.zip', archive), { orgKeys: ORG_KEYS });
    expect(inspection).toMatchObject({ format: 'amplitude', compression: 'zip', rows: 2, valid: 2 });
    expect(inspection.categories).toEqual(histogram({ identifier: 2, usage: 2, location: 1, device: 1 }));
  });

  it('prints field names safely', async () => {
    const inspection = await inspectDataset(
      await files.write('people.json', ndjson([{ $distinct_id: 'u1', 'evil\u001b[31m': 1 }])),
      { orgKeys: ORG_KEYS },
    );
    expect(inspection.fields.map((field) => field.name)).toContain('evil\\u001b[31m');
  });
});
