import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import type { ProfileFields } from '../../src/core/profile-record.js';
import { readDataset } from '../../src/ingest/read-dataset.js';
import type { DatasetReader, DatasetRow, ReadDatasetOptions } from '../../src/ingest/read-dataset.js';

export const ORG_KEYS = ['org_id', 'organization_id'];

/** A file under test/fixtures/. */
export function sharedSample(path: string): string {
  return fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));
}

export interface TemporaryFiles {
  /** Writes a file under a unique name ending in `name`, and returns its path. */
  write: (name: string, content: string | Uint8Array) => Promise<string>;
  dir: () => string;
}

/** A temporary directory for the calling test file, removed after it. */
export function temporaryFiles(): TemporaryFiles {
  let dir = '';
  let count = 0;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'breachdesk-ingest-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return {
    write: async (name, content) => {
      const path = join(dir, `${++count}-${name}`);
      await writeFile(path, content);
      return path;
    },
    dir: () => dir,
  };
}

export interface ReadResult extends Pick<DatasetReader, 'format' | 'layout' | 'compression'> {
  rows: DatasetRow[];
}

export async function readAll(path: string, options: Partial<ReadDatasetOptions> = {}): Promise<ReadResult> {
  const reader = await readDataset(path, { format: 'auto', orgKeys: ORG_KEYS, ...options });
  const rows: DatasetRow[] = [];
  for await (const row of reader.rows) rows.push(row);
  return { format: reader.format, layout: reader.layout, compression: reader.compression, rows };
}

/** The fields read, without the raw values (their pass-through is tested with profile-record). */
/** What a valid row reveals other than its values and place (see `places`). */
export function validFields(
  rows: readonly DatasetRow[],
): Omit<ProfileFields, 'values' | 'country' | 'region'>[] {
  return rows.flatMap((row) => {
    if (row.status !== 'valid') return [];
    const { values, country, region, ...fields } = row.fields;
    return [fields];
  });
}

/** The coarse place of each valid row, as `country/region` (`-` for unknown). */
export function places(rows: readonly DatasetRow[]): string[] {
  return rows.flatMap((row) =>
    row.status === 'valid' ? [`${row.fields.country ?? '-'}/${row.fields.region ?? '-'}`] : [],
  );
}

export function quarantined(rows: readonly DatasetRow[]): { line: number; reason: string; field?: string }[] {
  return rows.flatMap((row) => {
    if (row.status !== 'quarantined') return [];
    return [
      row.field === undefined
        ? { line: row.line, reason: row.reason }
        : { line: row.line, reason: row.reason, field: row.field },
    ];
  });
}

export const ndjson = (records: readonly unknown[]): string =>
  records.map((record) => `${JSON.stringify(record)}\n`).join('');
