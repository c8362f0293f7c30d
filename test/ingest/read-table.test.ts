import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUserError } from '../../src/core/errors.js';
import { readTable } from '../../src/ingest/read-table.js';

let dir = '';
let fileCount = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'breachdesk-read-table-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fixture(name: string, content: string): Promise<string> {
  const path = join(dir, `${++fileCount}-${name}`);
  await writeFile(path, content);
  return path;
}

async function read(path: string): Promise<{ line: number; values: Record<string, string> }[]> {
  const rows: { line: number; values: Record<string, string> }[] = [];
  for await (const row of readTable(path))
    rows.push({ line: row.line, values: Object.fromEntries(row.values) });
  return rows;
}

async function failure(path: string): Promise<string> {
  try {
    await read(path);
  } catch (error) {
    expect(isUserError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`${path} was read without an error`);
}

describe('readTable', () => {
  it('keys CSV rows by the header names, trimmed and lower-cased', async () => {
    const path = await fixture('accounts.csv', ' ID ,Email,"Display Name"\nu1,ada@example.com,Ada\n');
    expect(await read(path)).toEqual([
      { line: 2, values: { id: 'u1', email: 'ada@example.com', 'display name': 'Ada' } },
    ]);
  });

  it('reads quoted commas, doubled quotes and quoted newlines, each row at the line it starts', async () => {
    const path = await fixture(
      'organizations.csv',
      'id,name\no1,"Barker, Lowe & ""Associates"" LLP"\no2,"Two\nline\nname"\no3,plain\n',
    );
    expect(await read(path)).toEqual([
      { line: 2, values: { id: 'o1', name: 'Barker, Lowe & "Associates" LLP' } },
      { line: 3, values: { id: 'o2', name: 'Two\nline\nname' } },
      { line: 6, values: { id: 'o3', name: 'plain' } },
    ]);
  });

  it('reads CRLF line endings and a byte order mark', async () => {
    const path = await fixture(
      'crlf.csv',
      '\uFEFFid,email\r\nu1,ada@example.com\r\nu2,"bob@example.com"\r\n',
    );
    expect(await read(path)).toEqual([
      { line: 2, values: { id: 'u1', email: 'ada@example.com' } },
      { line: 3, values: { id: 'u2', email: 'bob@example.com' } },
    ]);
  });

  it('keeps empty cells, including a trailing one', async () => {
    const path = await fixture('empty.csv', 'id,name,locale\nu1,,\n');
    expect(await read(path)).toEqual([{ line: 2, values: { id: 'u1', name: '', locale: '' } }]);
  });

  it('skips blank lines and counts them in line numbers', async () => {
    const path = await fixture('blank.csv', '\n  \nid\n\nu1\n \t \nu2');
    expect(await read(path)).toEqual([
      { line: 5, values: { id: 'u1' } },
      { line: 7, values: { id: 'u2' } },
    ]);
  });

  it('reads a CSV file with only a header as no rows', async () => {
    expect(await read(await fixture('header.csv', 'org_id,account_id,role\n'))).toEqual([]);
  });

  it('reads rows across read chunks at the lines they start', async () => {
    const names = Array.from({ length: 3000 }, (_, index) => `Person "${index}",\nof team ${index % 7}`);
    const body = names.map((name, index) => `u${index},"${name.replaceAll('"', '""')}"`).join('\n');
    const rows = await read(await fixture('large.csv', `id,name\n${body}\n`));
    expect(rows).toHaveLength(names.length);
    expect(rows.map((row) => row.line)).toEqual(names.map((_, index) => 2 + 2 * index));
    expect(rows.map((row) => row.values.name)).toEqual(names);
  });

  it('reads NDJSON of flat objects with lower-cased keys, dropping nulls and encoding nested values', async () => {
    const path = await fixture(
      'accounts.ndjson',
      '\uFEFF{"ID":"u1","Email":"ada@example.com","age":36,"admin":true,"team":null}\n\n' +
        '{"id":"u2","orgs":["o1","o2"],"meta":{"a":1}}\n',
    );
    expect(await read(path)).toEqual([
      { line: 1, values: { id: 'u1', email: 'ada@example.com', age: '36', admin: 'true' } },
      { line: 3, values: { id: 'u2', orgs: '["o1","o2"]', meta: '{"a":1}' } },
    ]);
  });

  it('rejects a row with the wrong number of cells, naming the file and line', async () => {
    const path = await fixture('ragged.csv', 'id,email\nu1,ada@example.com\nu2,bob@example.com,extra\n');
    expect(await failure(path)).toBe(`${path}:3: expected 2 cells, found 3`);
  });

  it('rejects a ragged row that spans lines at the line it starts', async () => {
    const path = await fixture('ragged-multiline.csv', 'id,name\nu1,"Ada\nLovelace",x\n');
    expect(await failure(path)).toBe(`${path}:2: expected 2 cells, found 3`);
  });

  it('rejects a quoted cell left open at the end of the file at the line it starts', async () => {
    const path = await fixture('unterminated.csv', 'id,name\nu1,Ada\nu2,"Bob\nand the rest\n');
    expect(await failure(path)).toBe(`${path}:3: unterminated quoted cell`);
  });

  it('rejects text after a closing quote instead of guessing the cell', async () => {
    const path = await fixture('after-quote.csv', 'id,name\nu1,Ada\nu2,"Bob" Smith\n');
    expect(await failure(path)).toBe(`${path}:3: malformed CSV: text after a closing quote`);
  });

  it('rejects a malformed NDJSON line and one that is not an object', async () => {
    const malformed = await fixture('malformed.ndjson', '{"id":"u1"}\n{"id":\n');
    expect(await failure(malformed)).toBe(`${malformed}:2: malformed JSON`);
    const array = await fixture('array.ndjson', '{"id":"u1"}\n\n[1,2]\n');
    expect(await failure(array)).toBe(`${array}:3: expected a JSON object`);
  });

  it('rejects a missing file with the error code', async () => {
    const path = join(dir, 'missing.csv');
    expect(await failure(path)).toBe(`cannot read ${path}: ENOENT`);
  });

  it('rejects a directory with the error code', async () => {
    expect(await failure(dir)).toBe(`cannot read ${dir}: EISDIR`);
  });
});
