import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUserError } from '../../src/core/errors.js';
import type { ProfileFields } from '../../src/core/profile-record.js';
import { readDataset } from '../../src/ingest/read-dataset.js';
import type { DatasetReader, DatasetRow, ReadDatasetOptions } from '../../src/ingest/read-dataset.js';

const ORG_KEYS = ['org_id', 'organization_id'];
const ENGAGE_FIXTURE = fileURLToPath(new URL('../fixtures/mixpanel/engage_response.json', import.meta.url));

let dir = '';
let fileCount = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'breachdesk-read-dataset-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fixture(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, `${++fileCount}-${name}`);
  await writeFile(path, content);
  return path;
}

interface ReadResult extends Omit<DatasetReader, 'rows'> {
  rows: DatasetRow[];
}

async function read(path: string, options: Partial<ReadDatasetOptions> = {}): Promise<ReadResult> {
  const reader = await readDataset(path, { format: 'auto', orgKeys: ORG_KEYS, ...options });
  const rows: DatasetRow[] = [];
  for await (const row of reader.rows) rows.push(row);
  return { layout: reader.layout, compression: reader.compression, rows };
}

/** The fields read, without the raw values (their pass-through is tested with profile-record). */
function validFields(rows: readonly DatasetRow[]): Omit<ProfileFields, 'values'>[] {
  return rows.flatMap((row) => {
    if (row.status !== 'valid') return [];
    const { values, ...fields } = row.fields;
    return [fields];
  });
}

function quarantined(rows: readonly DatasetRow[]): { line: number; reason: string; field?: string }[] {
  return rows.flatMap((row) => {
    if (row.status !== 'quarantined') return [];
    return [
      row.field === undefined
        ? { line: row.line, reason: row.reason }
        : { line: row.line, reason: row.reason, field: row.field },
    ];
  });
}

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

const PEOPLE_FIELDS: Omit<ProfileFields, 'values'>[] = [
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
const ndjson = (records: readonly unknown[]): string =>
  records.map((record) => `${JSON.stringify(record)}\n`).join('');

/** Every CSV row has every column, so each row lists the unknown ones even when empty. */
const CSV_FIELDS = PEOPLE_FIELDS.map((fields) => ({ ...fields, unknownFields: ['plan'] }));

const LAYOUTS: [
  description: string,
  name: string,
  layout: DatasetReader['layout'],
  content: string,
  expected: Omit<ProfileFields, 'values'>[],
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

  it('quarantines an API page object that has no results array', async () => {
    const result = await read(await fixture('page.json', '{\n  "page": 0,\n  "status": "error"\n}\n'));
    expect(result.layout).toBe('api-page');
    expect(quarantined(result.rows)).toEqual([{ line: 1, reason: 'API page object has no "results" array' }]);
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
      { line: 2, reason: 'no identity key ($distinct_id, email or organization id)' },
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
    const path = join(dir, 'missing.ndjson');
    const error: unknown = await readDataset(path, { format: 'auto', orgKeys: ORG_KEYS }).catch(
      (e: unknown) => e,
    );
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toBe(`cannot read dataset file ${path}: ENOENT`);
  });

  it('rejects a directory with a UserError', async () => {
    const path = join(dir, 'a-directory');
    await mkdir(path);
    await expect(readDataset(path, { format: 'auto', orgKeys: ORG_KEYS })).rejects.toThrow(
      `cannot read dataset file ${path}: EISDIR`,
    );
  });

  it('rejects CSV whose header has no distinct id column, naming the file', async () => {
    const path = await fixture('people.csv', 'email,name\nada@example.com,Ada\n');
    const error: unknown = await readDataset(path, { format: 'auto', orgKeys: ORG_KEYS }).catch(
      (e: unknown) => e,
    );
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toBe(
      `dataset file ${path} looks like CSV, but its header row has no $distinct_id or distinct_id column`,
    );
  });

  it('rejects CSV whose header names a column twice', async () => {
    const path = await fixture('people.csv', '$distinct_id,$email,$email\nu1,a@example.com,b@example.com\n');
    await expect(readDataset(path, { format: 'auto', orgKeys: ORG_KEYS })).rejects.toThrow(
      `dataset file ${path} looks like CSV, but its header row names the column "$email" twice`,
    );
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
