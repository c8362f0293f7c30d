import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../src/core/errors.js';
import type { ProfileFields } from '../../src/core/profile-record.js';
import { DATASET_FORMATS, readDataset } from '../../src/ingest/read-dataset.js';
import type { DatasetProgress, DatasetReader, DatasetRow } from '../../src/ingest/read-dataset.js';
import {
  ORG_KEYS,
  ndjson,
  quarantined,
  readAll as read,
  sharedSample,
  temporaryFiles,
  validFields,
} from './dataset-files.js';
import { zipArchive } from './zip-writer.js';

const ENGAGE_FIXTURE = sharedSample('mixpanel/engage_response.json');
const files = temporaryFiles();
const fixture = files.write;

function lines(rows: readonly DatasetRow[]): number[] {
  return rows.map((row) => row.line);
}

const PEOPLE = [
  {
    $distinct_id: 'u1',
    $properties: {
      $email: 'ada@example.com',
      $name: 'Ada Lovelace',
      $city: 'London',
      org_id: 'org-1',
      plan: 'pro',
    },
  },
  { $distinct_id: 'u2', $properties: { $email: 'bob@example.com', $browser: 'Firefox', org_id: '' } },
];

const PEOPLE_FIELDS: Omit<ProfileFields, 'values' | 'country' | 'region'>[] = [
  {
    userId: 'u1',
    email: 'ada@example.com',
    organizationIds: ['org-1'],
    categories: ['identifier', 'name', 'email', 'location'],
    unknownFields: ['plan'],
  },
  {
    userId: 'u2',
    email: 'bob@example.com',
    organizationIds: [],
    categories: ['identifier', 'email', 'device'],
    unknownFields: [],
  },
];

const PAGE = {
  page: 0,
  page_size: 1000,
  session_id: '1234567890-EXAMPL',
  status: 'ok',
  total: 2,
  results: PEOPLE,
};
const FLATTENED = PEOPLE.map((person) => ({ $distinct_id: person.$distinct_id, ...person.$properties }));
const PIPELINES = PEOPLE.map((person) => ({
  distinct_id: person.$distinct_id,
  properties: person.$properties,
}));
const CSV = [
  '$distinct_id,$email,$name,$city,org_id,plan,$browser',
  'u1,ada@example.com,Ada Lovelace,London,org-1,pro,',
  'u2,bob@example.com,,,,,Firefox',
  '',
].join('\n');

/** Every CSV row has every column, so each row lists the unknown ones even when empty. */
const CSV_FIELDS = PEOPLE_FIELDS.map((fields) => ({ ...fields, unknownFields: ['plan'] }));

const LAYOUTS: [
  description: string,
  name: string,
  layout: DatasetReader['layout'],
  content: string,
  expected: Omit<ProfileFields, 'values' | 'country' | 'region'>[],
][] = [
  ['a pretty-printed API page', 'page.json', 'api-page', JSON.stringify(PAGE, null, 2), PEOPLE_FIELDS],
  ['a compact one-line API page', 'page.json', 'api-page', JSON.stringify(PAGE), PEOPLE_FIELDS],
  [
    'a pretty-printed JSON array',
    'people.json',
    'json-array',
    JSON.stringify(PEOPLE, null, 2),
    PEOPLE_FIELDS,
  ],
  ['a compact JSON array', 'people.json', 'json-array', JSON.stringify(PEOPLE), PEOPLE_FIELDS],
  ['NDJSON in a file named .json', 'people.json', 'ndjson', ndjson(PEOPLE), PEOPLE_FIELDS],
  ['flattened NDJSON', 'people.ndjson', 'ndjson', ndjson(FLATTENED), PEOPLE_FIELDS],
  ['{distinct_id, properties} NDJSON', 'people.jsonl', 'ndjson', ndjson(PIPELINES), PEOPLE_FIELDS],
  [
    'flattened records in a JSON array',
    'people.json',
    'json-array',
    JSON.stringify(FLATTENED),
    PEOPLE_FIELDS,
  ],
  ['CSV', 'people.csv', 'csv', CSV, CSV_FIELDS],
];

describe('readDataset', () => {
  describe.each(LAYOUTS)('%s', (_, name, layout, content, expected) => {
    it('reads every record with its categories, identity and org keys', async () => {
      const result = await read(await fixture(name, content));
      expect(result).toMatchObject({ layout, compression: 'none' });
      expect(validFields(result.rows)).toEqual(expected);
      expect(result.rows.map((row) => row.ordinal)).toEqual([1, 2]);
    });

    it('reads the same records gzipped, detected from the magic bytes and not the name', async () => {
      const result = await read(await fixture(name, gzipSync(content)));
      expect(result).toMatchObject({ layout, compression: 'gzip' });
      expect(validFields(result.rows)).toEqual(expected);
    });
  });

  it('reads the Mixpanel Engage API response sample, each row at the line its element starts', async () => {
    const result = await read(ENGAGE_FIXTURE);
    expect(result.layout).toBe('api-page');
    expect(lines(result.rows)).toEqual([8, 20]);
    expect(validFields(result.rows)).toEqual([
      {
        userId: '9d35cd7f-3f06-4549-91bf-198ee58bb58a',
        email: 'clark@asw.com',
        organizationIds: [],
        categories: ['identifier', 'name', 'email', 'device', 'usage'],
        unknownFields: [],
      },
      expect.objectContaining({ userId: 'cd9d357f-3f06-4549-91bf-158bb598ee8a', email: 'bruce@asw.com' }),
    ]);
  });

  it('gives each element of a pretty-printed array the line where it starts', async () => {
    const result = await read(await fixture('people.json', JSON.stringify(PEOPLE, null, 2)));
    expect(lines(result.rows)).toEqual([2, 12]);
  });

  it('reads every page of one-line API pages written one per line', async () => {
    const second = { ...PAGE, page: 1, results: [{ $distinct_id: 'u3', $properties: {} }] };
    const result = await read(
      await fixture('pages.ndjson', `${JSON.stringify(PAGE)}\n${JSON.stringify(second)}\n`),
    );
    expect(result.layout).toBe('api-page');
    expect(validFields(result.rows).map((fields) => fields.userId)).toEqual(['u1', 'u2', 'u3']);
    expect(lines(result.rows)).toEqual([1, 1, 2]);
  });

  it('quarantines a later API page object that has no results array', async () => {
    const pages = `${JSON.stringify(PAGE, null, 2)}\n{\n  "page": 1,\n  "status": "error"\n}\n`;
    const result = await read(await fixture('page.json', pages));
    expect(result.layout).toBe('api-page');
    expect(quarantined(result.rows)).toEqual([
      { line: 28, reason: 'API page object has no "results" array' },
    ]);
    expect(validFields(result.rows)).toEqual(PEOPLE_FIELDS);
  });

  it('reads pretty-printed objects one after another (jq output) as one record each', async () => {
    const content = `${PEOPLE.map((person) => JSON.stringify(person, null, 2)).join('\n')}\n`;
    const result = await read(await fixture('people.json', content));
    expect(result).toMatchObject({ layout: 'json-objects', format: 'mixpanel-people' });
    expect(validFields(result.rows)).toEqual(PEOPLE_FIELDS);
    expect(lines(result.rows)).toEqual([1, 11]);
  });

  it('reads a pretty-printed object without a results array as a record, not a page', async () => {
    const result = await read(await fixture('page.json', '{\n  "page": 0,\n  "status": "error"\n}\n'));
    expect(result.layout).toBe('json-objects');
    expect(quarantined(result.rows)).toEqual([
      { line: 1, reason: 'no identity key (user_id or id, email or organization id)' },
    ]);
  });

  it('reads CSV with JSON-encoded list cells, quoted commas, doubled quotes, quoted newlines, CRLF and a BOM', async () => {
    const csv = [
      '\ufeff$distinct_id,$email,$name,org_id,notes,$groups',
      'u1,ada@example.com,"Lovelace, Ada","[""org-1"",""org-2""]","line one\r\nline two","{""org_id"":[""org-3""],""team"":[""t-9""]}"',
      'u2,bob@example.com,"Bob ""the builder""",org-4,[not json,',
      '',
    ].join('\r\n');
    const result = await read(await fixture('people.csv', csv));
    expect(result.layout).toBe('csv');
    expect(lines(result.rows)).toEqual([2, 4]);
    expect(validFields(result.rows)).toEqual([
      {
        userId: 'u1',
        email: 'ada@example.com',
        organizationIds: ['org-1', 'org-2', 'org-3'],
        categories: ['identifier', 'name', 'email'],
        unknownFields: ['notes'],
      },
      {
        userId: 'u2',
        email: 'bob@example.com',
        organizationIds: ['org-4'],
        categories: ['identifier', 'name', 'email'],
        unknownFields: ['notes'],
      },
    ]);
  });

  it('turns a numeric $distinct_id into a string', async () => {
    const result = await read(await fixture('people.ndjson', '{"$distinct_id": 42, "$properties": {}}\n'));
    expect(validFields(result.rows)[0]?.userId).toBe('42');
  });

  it('collects org ids from scalar and list values and from org keys inside $groups only', async () => {
    const record = {
      $distinct_id: 'u1',
      org_id: 'o1',
      organization_id: ['o2', 'o3'],
      $groups: { org_id: 'o4', organization_id: ['o5'], project_id: 'p-200' },
    };
    const result = await read(await fixture('people.ndjson', ndjson([record])));
    expect(validFields(result.rows)[0]?.organizationIds).toEqual(['o1', 'o2', 'o3', 'o4', 'o5']);
  });

  it('does not count empty values as exposed', async () => {
    const record = { $distinct_id: 'u1', $email: '', $name: '  ', $city: null, $phone: [], $avatar: {} };
    const result = await read(await fixture('people.ndjson', ndjson([record])));
    expect(validFields(result.rows)[0]?.categories).toEqual(['identifier']);
  });

  it('quarantines a malformed NDJSON line at its line number, without echoing it, and keeps importing', async () => {
    const content = [
      '{"$distinct_id":"u1","$email":"ada@example.com"}',
      '{"$distinct_id":"u2","$email": secret-value}',
      '',
      '{"$distinct_id":"u3","$email":"cy@example.com"',
      '{"$distinct_id":"u4"}',
    ].join('\n');
    const result = await read(await fixture('people.ndjson', content));
    expect(result.rows.map((row) => [row.ordinal, row.line, row.status])).toEqual([
      [1, 1, 'valid'],
      [2, 2, 'quarantined'],
      [3, 4, 'quarantined'],
      [4, 5, 'valid'],
    ]);
    expect(quarantined(result.rows)).toEqual([
      { line: 2, reason: 'malformed JSON: Unexpected token' },
      { line: 4, reason: "malformed JSON: Expected ',' or '}' after property value in JSON at position 46" },
    ]);
  });

  it('quarantines records without an identity key, that are not objects, or have an inexact numeric id', async () => {
    const result = await read(
      await fixture(
        'people.ndjson',
        '{"$distinct_id":"u1"}\n{"$name":"Ada"}\n[1,2]\n{"$distinct_id":12345678901234567890}\n',
      ),
    );
    expect(quarantined(result.rows)).toEqual([
      { line: 2, reason: 'no identity key ($distinct_id or distinct_id, email or organization id)' },
      { line: 3, reason: 'not a JSON object' },
      { line: 4, reason: 'numeric identifier is too large to be read exactly', field: '$distinct_id' },
    ]);
  });

  it('quarantines a malformed element of a pretty-printed array and reads the elements after it', async () => {
    const content =
      '[\n  {"$distinct_id": "u1"},\n  {\n    "$distinct_id": "u2",\n    "$email": nope\n  },\n  {"$distinct_id": "u3"}\n]\n';
    const result = await read(await fixture('people.json', content));
    expect(result.rows.map((row) => [row.line, row.status])).toEqual([
      [2, 'valid'],
      [3, 'quarantined'],
      [7, 'valid'],
    ]);
    expect(quarantined(result.rows)[0]?.reason).toBe('malformed JSON: Unexpected token');
  });

  it('quarantines an element that is not an object', async () => {
    const result = await read(await fixture('people.json', '[{"$distinct_id":"u1"}, "u2", null, 3]'));
    expect(result.rows.map((row) => row.status)).toEqual([
      'valid',
      'quarantined',
      'quarantined',
      'quarantined',
    ]);
  });

  it('quarantines the unterminated element of a truncated array at the line it starts', async () => {
    const content = '[\n  {"$distinct_id": "u1"},\n  {"$distinct_id": "u2",\n   "$email": "b';
    const result = await read(await fixture('people.json', content));
    expect(validFields(result.rows).map((fields) => fields.userId)).toEqual(['u1']);
    expect(quarantined(result.rows)).toEqual([
      { line: 3, reason: 'truncated: element not terminated at end of file' },
    ]);
  });

  it('quarantines an unterminated quoted CSV cell at the end of the file', async () => {
    const result = await read(await fixture('people.csv', '$distinct_id,$name\nu1,Ada\nu2,"Bob\n'));
    expect(quarantined(result.rows)).toEqual([
      { line: 3, reason: 'truncated: quoted cell not terminated at end of file' },
    ]);
  });

  it('quarantines the rest of a truncated gzip file as one row after the rows it could read', async () => {
    const records = Array.from({ length: 20_000 }, (_, index) => ({
      $distinct_id: `u${index}`,
      $email: `user${index}@example.com`,
      noise: Math.random().toString(36),
    }));
    const gzip = gzipSync(ndjson(records));
    const result = await read(
      await fixture('people.ndjson.gz', gzip.subarray(0, Math.floor(gzip.length / 2))),
    );
    const last = result.rows.at(-1);
    expect(last).toMatchObject({
      status: 'quarantined',
      reason: 'gzip data is corrupt or truncated (Z_BUF_ERROR)',
    });
    expect(result.rows.slice(0, -1).every((row) => row.status === 'valid')).toBe(true);
    expect(result.rows.length).toBeGreaterThan(1000);
    expect(last?.line).toBe(result.rows.length);
  });

  it('quarantines a ragged CSV row with the cell counts', async () => {
    const result = await read(
      await fixture('people.csv', '$distinct_id,$email\nu1,a@example.com,extra\nu2\nu3,c@example.com\n'),
    );
    expect(quarantined(result.rows)).toEqual([
      { line: 2, reason: 'expected 2 cells, found 3' },
      { line: 3, reason: 'expected 2 cells, found 1' },
    ]);
    expect(validFields(result.rows).map((fields) => fields.userId)).toEqual(['u3']);
  });

  it('quarantines a CSV row with text after a closing quote', async () => {
    const result = await read(await fixture('people.csv', '$distinct_id,$name\nu1,"Ada"x\nu2,Bob\n'));
    expect(quarantined(result.rows)).toEqual([
      { line: 2, reason: 'malformed CSV: text after a closing quote' },
    ]);
    expect(validFields(result.rows)).toHaveLength(1);
  });

  it('quarantines an NDJSON line over 1 MiB by default and reads the next line', async () => {
    const huge = JSON.stringify({ $distinct_id: 'u1', blob: 'x'.repeat(3 * 1024 * 1024) });
    const result = await read(await fixture('people.ndjson', `${huge}\n{"$distinct_id":"u2"}\n`));
    expect(quarantined(result.rows)).toEqual([{ line: 1, reason: 'row exceeds 1 MiB' }]);
    expect(lines(result.rows)).toEqual([1, 2]);
  });

  const blob = 'x'.repeat(300);
  it.each([
    ['an NDJSON line', 'people.ndjson', `{"$distinct_id":"u1","blob":"${blob}"}\n{"$distinct_id":"u2"}\n`, 1],
    [
      'an array element',
      'people.json',
      `[\n{"$distinct_id":"u1","blob":"${blob}"},\n{"$distinct_id":"u2"}]`,
      2,
    ],
    ['a CSV row', 'people.csv', `$distinct_id,blob\nu1,"${blob}"\nu2,\n`, 2],
  ])('quarantines %s over maxRecordBytes and reads the next one', async (_, name, content, line) => {
    const result = await read(await fixture(name, content), { maxRecordBytes: 256 });
    expect(quarantined(result.rows)).toEqual([{ line, reason: 'row exceeds 256 bytes' }]);
    expect(validFields(result.rows).map((fields) => fields.userId)).toEqual(['u2']);
  });

  it.each([
    [
      'an NDJSON line',
      'people.ndjson',
      '{"$distinct_id":"u1"}\n{"$distinct_id":"',
      '"}\n{"$distinct_id":"u3"}\n',
      2,
    ],
    [
      'an array element',
      'people.json',
      '[{"$distinct_id":"u1"},\n{"$distinct_id":"',
      '"},\n{"$distinct_id":"u3"}]',
      2,
    ],
    ['a CSV row', 'people.csv', '$distinct_id,$name\nu1,Ada\nu2,"', '"\nu3,Cy\n', 3],
  ])('quarantines %s with invalid UTF-8 and reads the next one', async (_, name, before, after, line) => {
    const content = Buffer.concat([Buffer.from(before), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(after)]);
    const result = await read(await fixture(name, content));
    expect(quarantined(result.rows)).toEqual([{ line, reason: 'invalid UTF-8' }]);
    expect(validFields(result.rows)).toHaveLength(2);
  });

  it('reads UTF-8 text intact', async () => {
    const result = await read(
      await fixture('people.ndjson', '{"$distinct_id":"ü-1","$email":"zoë@exämple.com"}\n'),
    );
    expect(validFields(result.rows)[0]).toMatchObject({ userId: 'ü-1', email: 'zoë@exämple.com' });
  });

  it('keeps __proto__ and constructor keys inert in JSON and CSV', async () => {
    const json =
      '{"$distinct_id":"u1","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}\n';
    const csv = '$distinct_id,__proto__,constructor\nu1,"{""polluted"":true}",x\n';
    for (const [name, content] of [
      ['people.ndjson', json],
      ['people.csv', csv],
    ] as const) {
      const result = await read(await fixture(name, content));
      expect(validFields(result.rows)[0]?.unknownFields).toEqual(['__proto__', 'constructor']);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['an empty file', ''],
    ['a whitespace-only file', '\n  \r\n\t\n'],
  ])('reads zero rows from %s', async (_, content) => {
    const result = await read(await fixture('empty.json', content));
    expect(result.rows).toEqual([]);
  });

  it('counts leading blank lines in line numbers', async () => {
    const result = await read(await fixture('people.ndjson', '\n\n{"$distinct_id":"u1"}\n'));
    expect(lines(result.rows)).toEqual([3]);
  });

  it('rejects a missing file with a UserError naming it', async () => {
    const path = join(files.dir(), 'missing.ndjson');
    const error: unknown = await readDataset(path, { format: 'auto', orgKeys: ORG_KEYS }).catch(
      (e: unknown) => e,
    );
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toBe(`cannot read dataset file ${path}: ENOENT`);
  });

  it('rejects a directory with a UserError', async () => {
    const path = join(files.dir(), 'a-directory');
    await mkdir(path);
    await expect(readDataset(path, { format: 'auto', orgKeys: ORG_KEYS })).rejects.toThrow(
      `cannot read dataset file ${path}: EISDIR`,
    );
  });

  it('reads CSV without a Mixpanel id column by the format its columns fit', async () => {
    const result = await read(await fixture('people.csv', 'email,name\nada@example.com,Ada\n'));
    expect(result.format).toBe('generic');
    expect(validFields(result.rows)).toEqual([
      {
        userId: null,
        email: 'ada@example.com',
        organizationIds: [],
        categories: ['name', 'email'],
        unknownFields: [],
      },
    ]);
  });

  it('quarantines every row of CSV whose columns hold no identity key', async () => {
    const result = await read(await fixture('notes.csv', 'colour,size\nred,9\nblue,7\n'));
    expect(quarantined(result.rows)).toEqual([
      { line: 2, reason: 'no identity key (user_id or id, email or organization id)' },
      { line: 3, reason: 'no identity key (user_id or id, email or organization id)' },
    ]);
  });

  it('quarantines a CSV header that names a column twice, and every row under it', async () => {
    const path = await fixture('people.csv', '$distinct_id,$email,$email\nu1,a@example.com,b@example.com\n');
    const result = await read(path);
    expect(quarantined(result.rows)).toEqual([
      { line: 1, reason: 'CSV header row names a column twice', field: '$email' },
      { line: 2, reason: 'no usable CSV header row' },
    ]);
  });

  it('quarantines a CSV header that cannot be read, and every row under it', async () => {
    const content = Buffer.concat([
      Buffer.from('$distinct_id,'),
      Buffer.from([0xff]),
      Buffer.from('\nu1,x\n'),
    ]);
    const result = await read(await fixture('people.csv', content));
    expect(quarantined(result.rows)).toEqual([
      { line: 1, reason: 'CSV header row cannot be read: invalid UTF-8' },
      { line: 2, reason: 'no usable CSV header row' },
    ]);
  });

  it('reads zero rows from a CSV file with only a header', async () => {
    const result = await read(await fixture('people.csv', '$distinct_id,$email'));
    expect(result).toMatchObject({ layout: 'csv', rows: [] });
  });

  it('keeps NDJSON whose first line is malformed as NDJSON', async () => {
    for (const first of ['{"$distinct_id": "u1", oops}', '{"$distinct_id": "u1']) {
      const result = await read(await fixture('people.ndjson', `${first}\n{"$distinct_id":"u2"}\n`));
      expect(result.layout).toBe('ndjson');
      expect(result.rows.map((row) => row.status)).toEqual(['quarantined', 'valid']);
    }
  });

  it('quarantines content after the top-level JSON array once per run', async () => {
    const result = await read(
      await fixture('people.json', '[{"$distinct_id":"u1"}]\ntrailing {"x": [1]} junk\n'),
    );
    expect(validFields(result.rows)).toHaveLength(1);
    expect(quarantined(result.rows)).toEqual([
      { line: 2, reason: 'unexpected content outside the JSON array' },
    ]);
  });

  it('reads a JSON array that starts with a byte order mark', async () => {
    const result = await read(await fixture('people.json', `\ufeff${JSON.stringify(PEOPLE)}`));
    expect(validFields(result.rows)).toEqual(PEOPLE_FIELDS);
  });

  it('closes the file when the consumer breaks off', async () => {
    const openFiles = async (): Promise<number> => (await readdir('/proc/self/fd')).length;
    const manyRows = '{"$distinct_id":"u1"}\n'.repeat(600_000);
    const path = await fixture('people.ndjson', manyRows);
    const before = await openFiles();
    const reader = await readDataset(path, { format: 'auto', orgKeys: ORG_KEYS });
    for await (const row of reader.rows) {
      expect(row.ordinal).toBe(1);
      break;
    }
    await expect.poll(openFiles).toBe(before);
  });

  describe('files larger than one read chunk', () => {
    const count = 30_000;
    const records = Array.from({ length: count }, (_, index) => ({
      $distinct_id: `u${index}`,
      $properties: { $email: `user${index}@example.com`, $city: 'Zürich', tags: ['a', 'b'], n: index },
    }));

    it.each([
      [
        'a pretty-printed JSON array',
        'json-array',
        (): string => `[\n${records.map((r) => JSON.stringify(r, null, 2)).join(',\n')}\n]\n`,
        (i: number): number => 2 + i * 12,
      ],
      [
        'a pretty-printed API page',
        'api-page',
        (): string => JSON.stringify({ ...PAGE, results: records }, null, 2),
        (i: number): number => 8 + i * 12,
      ],
      ['NDJSON', 'ndjson', (): string => ndjson(records), (i: number): number => i + 1],
      [
        'pretty-printed objects one after another',
        'json-objects',
        (): string => `${records.map((r) => JSON.stringify(r, null, 2)).join('\n')}\n`,
        (i: number): number => 1 + i * 12,
      ],
      [
        'CSV with a quoted newline in every row',
        'csv',
        (): string =>
          `$distinct_id,$email,$city,tags,n\n${records.map((r) => `${r.$distinct_id},${r.$properties.$email},"Zü\nrich","[""a""]",${r.$properties.n}\n`).join('')}`,
        (i: number): number => 2 + 2 * i,
      ],
    ] as const)('reads %s across chunk boundaries, plain and gzipped', async (_, layout, content, lineOf) => {
      const text = content();
      for (const bytes of [Buffer.from(text), gzipSync(text)]) {
        const result = await read(await fixture('big', bytes));
        expect(result.layout).toBe(layout);
        expect(result.rows).toHaveLength(count);
        expect(
          result.rows.every(
            (row, i) => row.status === 'valid' && row.fields.userId === `u${i}` && row.line === lineOf(i),
          ),
        ).toBe(true);
      }
    });
  });

  describe('properties', () => {
    const record = fc.record({
      $distinct_id: fc.oneof(fc.string(), fc.integer()),
      $email: fc.oneof(fc.emailAddress(), fc.string()),
      $city: fc.option(fc.string({ unit: 'binary' })),
      org_id: fc.oneof(fc.string(), fc.array(fc.string())),
      SECRET_extra: fc.jsonValue(),
    });
    const mangled = fc.oneof(
      record.map((value) => JSON.stringify(value)),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.string({ unit: 'binary' }),
      fc.tuple(record, fc.nat(), fc.nat()).map(([value, at, length]) => {
        const text = JSON.stringify(value);
        return text.slice(0, at % text.length) + text.slice((at % text.length) + (length % 20));
      }),
    );
    const fileContent = fc.tuple(
      record,
      fc.array(fc.oneof(mangled, fc.uint8Array({ maxLength: 40 }))),
      fc.constantFrom('\n', '\r\n'),
      fc.boolean(),
    );

    function nonBlankLines(bytes: Buffer): number {
      let count = 0;
      for (const line of bytes.toString('latin1').split('\n')) if (/[^ \t\r]/.test(line)) count++;
      return count;
    }

    it('never throws on random and mangled NDJSON, and numbers every non-blank line as one row', async () => {
      await fc.assert(
        fc.asyncProperty(fileContent, async ([first, others, newline, compress]) => {
          const parts = [Buffer.from(JSON.stringify({ ...first, $distinct_id: 'first' }))];
          for (const other of others) {
            parts.push(
              Buffer.from(newline),
              typeof other === 'string' ? Buffer.from(other, 'utf8') : Buffer.from(other),
            );
          }
          const bytes = Buffer.concat(parts);
          const result = await read(await fixture('random.json', compress ? gzipSync(bytes) : bytes), {
            maxRecordBytes: 512,
          });
          const valid = result.rows.filter((row) => row.status === 'valid').length;
          const quarantinedCount = result.rows.filter((row) => row.status === 'quarantined').length;
          expect(result.layout).toBe('ndjson');
          expect(result.rows.map((row) => row.ordinal)).toEqual(result.rows.map((_, i) => i + 1));
          expect(valid + quarantinedCount).toBe(result.rows.length);
          expect(result.rows.length).toBe(nonBlankLines(bytes));
          expect(
            result.rows.some((row) => row.status === 'quarantined' && row.reason.includes('SECRET')),
          ).toBe(false);
        }),
        { numRuns: 150 },
      );
    });

    it('reads quoted CSV cells with commas, quotes and newlines back exactly, at the right lines', async () => {
      const cell = fc.string({ unit: fc.constantFrom('a', 'é', ',', '"', '\r', '\n', ' ', '[') });
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(cell, cell)),
          fc.constantFrom('\n', '\r\n'),
          async (rows, newline) => {
            const quote = (text: string): string => `"${text.replaceAll('"', '""')}"`;
            const body = rows.map(([id, note]) => `${quote(`u${id}`)},${quote(note)}${newline}`).join('');
            const result = await read(await fixture('random.csv', `$distinct_id,note${newline}${body}`));
            let line = 2;
            const expected = rows.map(([id, note]) => {
              const row = { line, userId: `u${id}`.trim() };
              line += `${id}${note}`.split('\n').length;
              return row;
            });
            expect(
              result.rows.map((row) => ({
                line: row.line,
                userId: row.status === 'valid' ? row.fields.userId : row.reason,
              })),
            ).toEqual(expected);
          },
        ),
        { numRuns: 100 },
      );
    });

    it('reads the same records from NDJSON, a pretty-printed array and an API page', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(record, { maxLength: 8 }), async (records) => {
          const results = await Promise.all(
            [
              ndjson(records),
              JSON.stringify(records, null, 2),
              JSON.stringify({ ...PAGE, results: records }, null, 1),
            ].map(async (content) => (await read(await fixture('same.json', `${content}\n`))).rows),
          );
          const outcomes = results.map((rows) =>
            rows.map((row) => (row.status === 'valid' ? row.fields : row.reason)),
          );
          expect(outcomes[1]).toEqual(outcomes[0]);
          expect(outcomes[2]).toEqual(outcomes[0]);
        }),
        { numRuns: 60 },
      );
    });
  });
});

/** What each row's bytes start with, read at its offset. */
function textAtOffsets(content: Buffer, rows: readonly DatasetRow[], length: number): string[] {
  return rows.map((row) => content.toString('latin1', row.offset, row.offset + length));
}

describe('row offsets', () => {
  it('gives every NDJSON row, valid or not, the byte offset of its line, past a BOM and blank lines', async () => {
    const content = Buffer.from(
      '\ufeff\n\r\n{"$distinct_id":"u1"}\r\n{"$distinct_id": nope}\n\n{"$distinct_id":"u3"}\n{"$name":"x"}',
    );
    const result = await read(await fixture('people.ndjson', content));
    expect(result.rows.map((row) => row.status)).toEqual(['valid', 'quarantined', 'valid', 'quarantined']);
    expect(textAtOffsets(content, result.rows, 20)).toEqual([
      '{"$distinct_id":"u1"',
      '{"$distinct_id": nop',
      '{"$distinct_id":"u3"',
      '{"$name":"x"}',
    ]);
  });

  it('gives CSV rows the offset where the record starts, also after a quoted line break', async () => {
    const content = Buffer.from('$distinct_id,note\r\nu1,"two\r\nlines"\r\nu2,x,extra\r\nu3,ok\r\n');
    const result = await read(await fixture('people.csv', content));
    expect(lines(result.rows)).toEqual([2, 4, 5]);
    expect(textAtOffsets(content, result.rows, 3)).toEqual(['u1,', 'u2,', 'u3,']);
  });

  it('gives array elements and page results the offset of their first byte', async () => {
    for (const [layout, indent] of [
      [JSON.stringify(PEOPLE, null, 2), '    '],
      [JSON.stringify(PAGE, null, 2), '      '],
    ] as const) {
      const content = Buffer.from(layout);
      const result = await read(await fixture('people.json', content));
      const start = `{\n${indent}"$distinct_id"`;
      expect(textAtOffsets(content, result.rows, start.length)).toEqual([start, start]);
    }
  });

  it('counts offsets in the decompressed stream of a gzip file', async () => {
    const text = ndjson(PEOPLE);
    const plain = await read(await fixture('people.ndjson', text));
    const gzipped = await read(await fixture('people.ndjson.gz', gzipSync(text)));
    expect(gzipped.rows.map((row) => row.offset)).toEqual([0, text.indexOf('\n') + 1]);
    expect(gzipped.rows.map((row) => row.offset)).toEqual(plain.rows.map((row) => row.offset));
  });

  it('gives the offset of the row in progress when gzip data breaks off', async () => {
    const records = Array.from({ length: 40_000 }, (_, index) => ({
      $distinct_id: `u${index}`,
      pad: 'x'.repeat(40),
    }));
    const text = ndjson(records);
    const gzip = gzipSync(text);
    const result = await read(await fixture('people.ndjson.gz', gzip.subarray(0, gzip.length - 30)));
    const last = result.rows.at(-1);
    expect(last?.status).toBe('quarantined');
    expect(text.slice(last?.offset, (last?.offset ?? 0) + 15)).toBe('{"$distinct_id"');
  });
});

describe('ZIP archives', () => {
  const lines1 = ndjson([
    { user_id: 'u1', event_type: 'open', user_properties: { email: 'ada@example.com' } },
    { user_id: 'u2', event_type: 'open' },
  ]);
  const lines2 = ndjson([{ user_id: 'u3', event_type: 'close', city: 'Oslo' }]);

  it('reads every entry in turn, stored or deflated, gzipped or not, naming the entry on each row', async () => {
    const archive = zipArchive([
      { name: '187520/187520_2024-01-15_9#0.json.gz', data: gzipSync(lines1), store: true },
      { name: '187520/187520_2024-01-15_9#1.json.gz', data: gzipSync(lines2) },
      { name: 'plain.json', data: lines2 },
    ]);
    const result = await read(await fixture('export.bin', archive));
    expect(result).toMatchObject({ compression: 'zip', format: 'amplitude', layout: 'ndjson' });
    expect(
      result.rows.map((row) => [row.ordinal, row.source, row.line, row.offset, row.status === 'valid']),
    ).toEqual([
      [1, '187520/187520_2024-01-15_9#0.json.gz', 1, 0, true],
      [2, '187520/187520_2024-01-15_9#0.json.gz', 2, lines1.indexOf('\n') + 1, true],
      [3, '187520/187520_2024-01-15_9#1.json.gz', 1, 0, true],
      [4, 'plain.json', 1, 0, true],
    ]);
    expect(validFields(result.rows).map((fields) => fields.userId)).toEqual(['u1', 'u2', 'u3', 'u3']);
    expect(validFields(result.rows)[0]?.email).toBe('ada@example.com');
  });

  it('reads entries of different layouts, each with its own header and line numbers', async () => {
    const archive = zipArchive([
      { name: 'a.csv', data: 'user_id,email\nu1,ada@example.com\n' },
      { name: 'b.json', data: JSON.stringify([{ user_id: 'u2' }], null, 2) },
      { name: 'c.csv', data: 'email\nbob@example.com\n' },
    ]);
    const result = await read(await fixture('mixed.zip', archive));
    expect(result.rows.map((row) => [row.source, row.line])).toEqual([
      ['a.csv', 2],
      ['b.json', 2],
      ['c.csv', 2],
    ]);
    expect(validFields(result.rows)).toHaveLength(3);
  });

  it('quarantines a corrupt entry at the row it breaks, with its name and offset, and reads the next entries', async () => {
    const big = ndjson(
      Array.from({ length: 3_000 }, (_, index) => ({ user_id: `u${index}`, n: index * 7919 })),
    );
    const archive = zipArchive([
      { name: 'first.json', data: big },
      { name: 'second.json', data: lines2 },
    ]);
    const dataStart = 30 + 'first.json'.length;
    archive.fill(0xff, dataStart + 2_000, dataStart + 2_050);
    const result = await read(await fixture('broken.zip', archive));
    const broken = result.rows.find((row) => row.status === 'quarantined');
    expect(broken).toMatchObject({
      source: 'first.json',
      reason: 'zip entry data is corrupt or truncated (Z_DATA_ERROR)',
    });
    expect(big.slice(broken?.offset, (broken?.offset ?? 0) + 10)).toBe('{"user_id"');
    expect(result.rows.at(-1)).toMatchObject({ source: 'second.json', status: 'valid' });
  });

  it('quarantines an encrypted entry, an unknown method and a nested archive as one row each', async () => {
    const archive = zipArchive([
      { name: 'secret.json', data: lines1, encrypted: true },
      { name: 'bzip2.json', data: lines1, method: 12 },
      { name: 'inner.zip', data: zipArchive([{ name: 'x.json', data: lines1 }]), store: true },
      { name: 'fine.json', data: lines2 },
    ]);
    const result = await read(await fixture('odd.zip', archive));
    expect(
      result.rows.map((row) => (row.status === 'valid' ? row.source : [row.source, row.reason])),
    ).toEqual([
      ['secret.json', 'zip entry is encrypted'],
      ['bzip2.json', 'zip entry uses compression method 12, which is not read'],
      ['inner.zip', 'zip entry is itself a zip archive: extract it and import its files'],
      'fine.json',
    ]);
  });

  it('skips folders, empty entries and macOS metadata', async () => {
    const archive = zipArchive([
      { name: 'export/', data: '' },
      { name: 'export/empty.json', data: '' },
      { name: '__MACOSX/export/._data.json', data: Buffer.from([0, 5, 22, 7, 0, 2]) },
      { name: 'export/data.json', data: lines2 },
    ]);
    const result = await read(await fixture('mac.zip', archive));
    expect(result.rows.map((row) => [row.source, row.status])).toEqual([['export/data.json', 'valid']]);
  });

  it('quarantines an entry whose data does not match its CRC-32', async () => {
    const archive = zipArchive([{ name: 'a.json', data: lines2, store: true }]);
    const cityAt = archive.indexOf('Oslo');
    archive.write('Bergen'.slice(0, 4), cityAt, 'latin1');
    const result = await read(await fixture('crc.zip', archive));
    expect(result.rows.map((row) => (row.status === 'valid' ? 'valid' : row.reason))).toEqual([
      'valid',
      'zip entry data does not match its CRC-32',
    ]);
  });

  it('reads an archive cut short from its local headers and quarantines the entry that was cut', async () => {
    const archive = zipArchive([
      { name: 'a.json', data: lines1, store: true },
      { name: 'b.json', data: lines1 + lines1, store: true },
      { name: 'c.json', data: lines2 },
    ]);
    const cut = archive.subarray(0, archive.indexOf('b.json') + 'b.json'.length + lines1.length + 10);
    const result = await read(await fixture('cut.zip', cut));
    expect(result.rows.map((row) => [row.source, row.line, row.status])).toEqual([
      ['a.json', 1, 'valid'],
      ['a.json', 2, 'valid'],
      ['b.json', 1, 'valid'],
      ['b.json', 2, 'valid'],
      ['b.json', 3, 'quarantined'],
    ]);
    expect(quarantined(result.rows).at(-1)?.reason).toBe('zip entry data is truncated');
  });

  it('reads entries whose sizes follow their data, and names one it cannot locate without the directory', async () => {
    const archive = zipArchive([
      { name: 'a.json', data: lines2, store: true },
      { name: 'streamed.json', data: lines2, descriptor: true },
    ]);
    const whole = await read(await fixture('streamed.zip', archive));
    expect(whole.rows.map((row) => [row.source, row.status])).toEqual([
      ['a.json', 'valid'],
      ['streamed.json', 'valid'],
    ]);
    const cut = await read(await fixture('streamed-cut.zip', archive.subarray(0, archive.length - 30)));
    expect(cut.rows.map((row) => (row.status === 'valid' ? row.source : [row.source, row.reason]))).toEqual([
      'a.json',
      ['streamed.json', 'zip entry cannot be located without the central directory'],
    ]);
  });

  it('reads the entries after one whose CSV header is broken', async () => {
    const archive = zipArchive([
      { name: 'a.csv', data: 'email,email\nada@example.com,x\n' },
      { name: 'b.csv', data: 'email\nbob@example.com\n' },
    ]);
    const result = await read(await fixture('csv.zip', archive));
    expect(result.rows.map((row) => [row.source, row.status === 'valid' ? 'valid' : row.reason])).toEqual([
      ['a.csv', 'CSV header row names a column twice'],
      ['a.csv', 'no usable CSV header row'],
      ['b.csv', 'valid'],
    ]);
  });
});

describe('format option', () => {
  it('lists auto and every format', () => {
    expect(DATASET_FORMATS).toEqual([
      'auto',
      'mixpanel-people',
      'mixpanel-events',
      'mixpanel-groups',
      'amplitude',
      'segment',
      'posthog',
      'ga4',
      'hubspot',
      'salesforce',
      'generic',
    ]);
  });

  it('reads records as the format given, whatever they look like', async () => {
    const result = await read(await fixture('people.ndjson', ndjson(PEOPLE)), { format: 'generic' });
    expect(result.format).toBe('generic');
    expect(validFields(result.rows).map((fields) => [fields.userId, fields.unknownFields])).toEqual([
      ['u1', ['$properties.plan']],
      ['u2', []],
    ]);
  });

  it('rejects an unknown format with a UserError listing the known ones', async () => {
    const path = await fixture('people.ndjson', ndjson(PEOPLE));
    const error: unknown = await readDataset(path, { format: 'xml' as 'auto', orgKeys: ORG_KEYS }).catch(
      (e: unknown) => e,
    );
    expect(isUserError(error)).toBe(true);
    expect(error).toMatchObject({
      message: 'unknown format "xml"',
      context: { known: DATASET_FORMATS.join(', ') },
    });
  });

  it('names the format of an empty file as generic', async () => {
    expect((await read(await fixture('empty.json', ''))).format).toBe('generic');
  });
});

describe('chunks', () => {
  it('hands out the same rows, in order, a chunk at a time as one at a time', async () => {
    const records = Array.from({ length: 40_000 }, (_, index) =>
      index % 7 === 0
        ? 'not json'
        : JSON.stringify({ $distinct_id: `u${index}`, $email: `u${index}@example.com` }),
    );
    const path = await fixture('people.ndjson', `${records.join('\n')}\n`);
    const one = await read(path);
    const reader = await readDataset(path, { orgKeys: ORG_KEYS });
    const chunks: DatasetRow[][] = [];
    for await (const chunk of reader.chunks) if ('rows' in chunk) chunks.push(chunk.rows);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.flat()).toEqual(one.rows);
  });
});

describe('progress', () => {
  async function progressOf(path: string): Promise<{ at: number; progress: DatasetProgress }[]> {
    const calls: { at: number; progress: DatasetProgress }[] = [];
    const reader = await readDataset(path, {
      orgKeys: ORG_KEYS,
      onProgress: (progress) => calls.push({ at: performance.now(), progress }),
    });
    for await (const row of reader.rows) expect(row.status).toBe('valid');
    return calls;
  }

  it('reports bytes read and rows at most four times a second, ending at the file size', async () => {
    const records = Array.from({ length: 150_000 }, (_, index) => ({
      $distinct_id: `u${index}`,
      $city: 'Zürich',
    }));
    const text = ndjson(records);
    for (const content of [Buffer.from(text), gzipSync(text), zipArchive([{ name: 'a.json', data: text }])]) {
      const calls = await progressOf(await fixture('people', content));
      const last = calls.at(-1)?.progress;
      expect(last).toEqual({ bytesRead: content.length, totalBytes: content.length, rows: records.length });
      for (let i = 1; i < calls.length - 1; i++) {
        expect((calls[i]?.at ?? 0) - (calls[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(240);
        expect(calls[i]?.progress.bytesRead).toBeGreaterThanOrEqual(calls[i - 1]?.progress.bytesRead ?? 0);
      }
    }
  });
});

describe('mangled archives (properties)', () => {
  const line = fc
    .record({
      user_id: fc.string(),
      email: fc.oneof(fc.emailAddress(), fc.string()),
      SECRET_note: fc.string(),
    })
    .map((value) => JSON.stringify(value));
  const mangling = fc.record({
    flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
    cut: fc.option(fc.nat()),
  });

  /** Changes bytes and cuts the end, keeping the magic bytes so the input stays a zip or a gzip. */
  function mangle(bytes: Buffer, { flips, cut }: { flips: [number, number][]; cut: number | null }): Buffer {
    const copy = Buffer.from(bytes);
    for (const [at, value] of flips) copy[4 + (at % Math.max(1, copy.length - 4))] = value;
    return cut === null ? copy : copy.subarray(0, 4 + (cut % Math.max(1, copy.length - 4)));
  }

  it('never throws on mangled zip and gzip input, and numbers every row as valid or quarantined', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 30 }),
        fc.constantFrom('zip', 'gzip'),
        fc.boolean(),
        mangling,
        async (records, kind, store, damage) => {
          const text = `${records.join('\n')}\n`;
          const archive =
            kind === 'gzip'
              ? gzipSync(text)
              : zipArchive([
                  { name: 'a.json.gz', data: gzipSync(text), store },
                  { name: 'b.json', data: text, store },
                  { name: 'c.csv', data: `user_id,email\n${records.map((_, i) => `u${i},x`).join('\n')}\n` },
                ]);
          const result = await read(await fixture(`mangled.${kind}`, mangle(archive, damage)), {
            maxRecordBytes: 512,
          });
          expect(result.compression).toBe(kind);
          expect(result.rows.map((row) => row.ordinal)).toEqual(result.rows.map((_, i) => i + 1));
          const valid = result.rows.filter((row) => row.status === 'valid').length;
          const quarantinedRows = result.rows.filter((row) => row.status === 'quarantined');
          expect(valid + quarantinedRows.length).toBe(result.rows.length);
          expect(quarantinedRows.some((row) => row.reason.includes('SECRET'))).toBe(false);
          expect(result.rows.every((row) => Number.isSafeInteger(row.offset) && row.offset >= 0)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
