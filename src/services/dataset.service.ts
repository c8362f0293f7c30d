import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { UserError } from '../core/errors.js';
import type { DatasetRow } from '../db/dataset.repository.js';
import type { Repositories } from '../db/repositories.js';
import { MAX_THREADS, defaultThreads, encodeDataset } from '../ingest/encode-dataset.js';
import {
  DATASET_FORMATS,
  readDataset,
  type DatasetFormat,
  type DatasetReader,
  type DatasetProgress,
} from '../ingest/read-dataset.js';
import type { EncodedRows } from '../ingest/record-encoder.js';
import { inspectDataset } from '../ingest/inspect-dataset.js';
import { parseMappingFile } from '../ingest/read-mapping-file.js';
import { parseMapOption } from '../core/field-mapping.js';
import type { Category } from '../core/categories.js';
import { VERSION } from '../version.js';
import { recordAudit } from './audit.js';
import { FLOW_SOURCE, recordEvent } from './timeline.js';
import type { IncidentService } from './incident.service.js';
import type { ServiceDeps } from './service-deps.js';

/** Property names, also looked up as group keys inside `$groups`. */
export const DEFAULT_ORG_KEYS = ['org_id', 'organization_id'];

export { DATASET_FORMATS };

export interface ImportInput {
  incidentId: string;
  path: string;
  format: string;
  orgKeys?: string[] | undefined;
  /** `field=category,…` overrides. */
  map?: string | undefined;
  /** A JSON file `{ "field": "category" }` of overrides. */
  mappingFile?: string | undefined;
  /** Refuse the import (nothing is written) when any field has no category. */
  strict?: boolean | undefined;
  /** Worker threads that parse, hash and seal; 0 for none. Default: none for a small file, else one less than the cores. */
  threads?: number | undefined;
  onProgress?: ((progress: DatasetProgress) => void) | undefined;
}

export interface ImportResult {
  datasetId: string;
  duplicateOf: string | null;
  format: string;
  layout: string;
  compression: string;
  read: number;
  valid: number;
  quarantined: number;
  unknownFields: [string, number][];
  firstProblems: { line: number; reason: string }[];
}

export class DatasetService {
  constructor(private readonly deps: ServiceDeps & { incidents: IncidentService }) {}

  /**
   * Streams one file into exposed records and quarantined rows in a single transaction: a failure
   * leaves nothing half-imported. The same bytes imported twice add nothing.
   */
  async import(input: ImportInput): Promise<ImportResult> {
    const format = parseFormat(input.format);
    // Checked before the file is read: a bad value must not leave a reader open.
    const { threads: asked } = input;
    if (asked !== undefined && (!Number.isInteger(asked) || asked < 0 || asked > MAX_THREADS)) {
      throw new UserError(`--threads: ${asked} is not a whole number from 0 to ${MAX_THREADS}`);
    }
    await this.deps.incidents.get(input.incidentId);
    const mapping = await effectiveMapping(input);
    const size = await datasetSize(input.path);
    // Hashed while the import reads the file, not in a pass of its own before: a duplicate is
    // found as soon as the hash is known, and what was written meanwhile is rolled back.
    const fingerprint = startFingerprint(input.path);
    const orgKeys = input.orgKeys && input.orgKeys.length > 0 ? input.orgKeys : DEFAULT_ORG_KEYS;
    let reader: DatasetReader;
    try {
      reader = await readDataset(input.path, {
        format,
        orgKeys,
        mapping,
        onProgress: input.onProgress,
        raw: true,
      });
    } catch (error) {
      fingerprint.cancel();
      throw error;
    }
    const threads = input.threads ?? defaultThreads(size);
    const dataset: DatasetRow = {
      id: this.deps.ids.next('dst'),
      incident_id: input.incidentId,
      file_name: basename(input.path),
      size_bytes: size,
      // Set once the hash is known, before the commit.
      sha256: '',
      format: reader.format,
      layout: reader.layout,
      compression: reader.compression,
      org_keys: JSON.stringify(orgKeys),
      mapping: JSON.stringify(Object.fromEntries(mapping)),
      importer_version: VERSION,
      rows_read: 0,
      rows_valid: 0,
      rows_quarantined: 0,
      unknown_fields: '[]',
      imported_at: this.deps.clock.now().toISOString(),
      imported_by: this.deps.actor,
    };
    const imported = this.deps.uow.dedicated((uow) =>
      uow.repos.datasets.bulkLoad(() =>
        uow.transaction(async (repos) => {
          await repos.datasets.insert(dataset);
          const subject = reader.format === 'mixpanel-groups' ? 'organization' : 'person';
          const encoded = encodeDataset(reader, { box: this.deps.box, threads });
          let checked: Promise<string> | undefined;
          /** The file's hash, once no dataset of the incident is found to hold the same bytes. */
          const unique = () =>
            (checked ??= (async () => {
              const sha256 = await fingerprint.sha256;
              const existing = await repos.datasets.findBySha256(input.incidentId, sha256);
              if (existing) throw new DuplicateDataset(existing);
              return sha256;
            })());
          const tally = await writeRows(repos, { ...dataset, subject }, encoded, async () => {
            if (fingerprint.done()) await unique();
          });
          const sha256 = await unique();
          if (tally.valid === 0) {
            const why = tally.firstProblems.map((p) => `line ${p.line}: ${p.reason}`).join('; ');
            throw new UserError(
              `no valid records in ${input.path} (${tally.read} rows read${why ? `; ${why}` : ''})`,
            );
          }
          const unknownFields = [...tally.unknown].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
          if (input.strict && unknownFields.length > 0) {
            const names = unknownFields
              .map(([name]) => name)
              .slice(0, 20)
              .join(', ');
            throw new UserError(
              `--strict: ${unknownFields.length} fields have no category (${names}); map them with --map field=category or --mapping FILE`,
            );
          }
          await repos.datasets.updateCounts(dataset.id, {
            sha256,
            rows_read: tally.read,
            rows_valid: tally.valid,
            rows_quarantined: tally.quarantined,
            unknown_fields: JSON.stringify(unknownFields),
            layout: reader.layout,
            compression: reader.compression,
          });
          await recordAudit(repos, this.deps, 'dataset.import', input.incidentId, {
            datasetId: dataset.id,
            file: dataset.file_name,
            sha256,
            read: tally.read,
            valid: tally.valid,
            quarantined: tally.quarantined,
          });
          await recordEvent(repos, this.deps, input.incidentId, {
            type: 'dataset_received',
            occurredAt: dataset.imported_at,
            source: FLOW_SOURCE,
            detail: { datasetId: dataset.id, file: dataset.file_name, sha256 },
          });
          return {
            datasetId: dataset.id,
            duplicateOf: null,
            format: dataset.format,
            layout: reader.layout,
            compression: reader.compression,
            read: tally.read,
            valid: tally.valid,
            quarantined: tally.quarantined,
            unknownFields,
            firstProblems: tally.firstProblems,
          };
        }),
      ),
    );
    try {
      return await imported;
    } catch (error) {
      if (error instanceof DuplicateDataset) return duplicateResult(error.existing);
      throw error;
    } finally {
      fingerprint.cancel();
    }
  }

  async list(incidentId: string) {
    await this.deps.incidents.get(incidentId);
    const rows = await this.deps.uow.repos.datasets.listForIncident(incidentId);
    return rows.map((row) => ({
      id: row.id,
      fileName: row.file_name,
      importerVersion: row.importer_version,
      mapping: JSON.parse(row.mapping) as Record<string, string>,
      sizeBytes: Number(row.size_bytes),
      sha256: row.sha256,
      format: row.format,
      layout: row.layout,
      compression: row.compression,
      rowsRead: row.rows_read,
      rowsValid: row.rows_valid,
      rowsQuarantined: row.rows_quarantined,
      unknownFields: JSON.parse(row.unknown_fields) as [string, number][],
      importedAt: row.imported_at,
      importedBy: row.imported_by,
    }));
  }

  async quarantine(incidentId: string, limit = 1000) {
    await this.deps.incidents.get(incidentId);
    return this.deps.uow.repos.datasets.listQuarantined(incidentId, limit);
  }
}

interface Tally {
  read: number;
  valid: number;
  quarantined: number;
  unknown: Map<string, number>;
  firstProblems: { line: number; reason: string }[];
}

/**
 * Identity keys become keyed hashes and exposed values ciphertext before anything is written
 * (in worker threads when `threads` > 0); rows go to the database a batch at a time.
 */
async function writeRows(
  repos: Repositories,
  dataset: DatasetRow & { subject: 'person' | 'organization' },
  batches: AsyncIterable<EncodedRows>,
  afterBatch: () => Promise<void>,
): Promise<Tally> {
  const tally: Tally = { read: 0, valid: 0, quarantined: 0, unknown: new Map(), firstProblems: [] };
  const { datasets } = repos;
  const keys = { dataset_id: dataset.id, incident_id: dataset.incident_id };
  for await (const rows of batches) {
    tally.read += rows.read;
    tally.valid += rows.valid;
    tally.quarantined += rows.quarantined;
    for (const [name, count] of rows.unknown) tally.unknown.set(name, (tally.unknown.get(name) ?? 0) + count);
    for (const problem of rows.firstProblems) {
      if (tally.firstProblems.length < 5) tally.firstProblems.push(problem);
    }
    const { records, organizations, values, quarantine } = rows;
    await datasets.insertRecords({
      count: records.ordinal.length,
      columns: {
        ...keys,
        subject: dataset.subject,
        ordinal: records.ordinal,
        line: records.line,
        user_key: records.userKey,
        email_key: records.emailKey,
        email_sealed: records.emailSealed,
        category_mask: records.mask,
        country: records.country,
        region: records.region,
      },
    });
    await datasets.insertValues({
      count: values.ordinal.length,
      columns: { ...keys, ordinal: values.ordinal, record_count: values.count, values_sealed: values.sealed },
    });
    await datasets.insertRecordOrganizations({
      count: organizations.ordinal.length,
      columns: { ...keys, ordinal: organizations.ordinal, organization_key: organizations.key },
    });
    await datasets.insertQuarantined({
      count: quarantine.ordinal.length,
      columns: {
        ...keys,
        ordinal: quarantine.ordinal,
        line: quarantine.line,
        byte_offset: quarantine.offset,
        source: quarantine.source,
        reason: quarantine.reason,
        field: quarantine.field,
      },
    });
    await afterBatch();
  }
  return tally;
}

function parseFormat(format: string): DatasetFormat {
  if ((DATASET_FORMATS as readonly string[]).includes(format)) return format as DatasetFormat;
  throw new UserError(`--format: unknown format "${format}" (known: ${DATASET_FORMATS.join(', ')})`);
}

export type InspectInput = Pick<ImportInput, 'path' | 'format' | 'orgKeys' | 'map' | 'mappingFile'> & {
  limit?: number | undefined;
};

/**
 * What an import would read, without importing and without a database: format, fields, their
 * categories under the mapping, and a category histogram.
 */
export async function inspectDatasetFile(input: InspectInput) {
  const format = parseFormat(input.format);
  const mapping = await effectiveMapping(input);
  const orgKeys = input.orgKeys && input.orgKeys.length > 0 ? input.orgKeys : DEFAULT_ORG_KEYS;
  return inspectDataset(input.path, { format, orgKeys, mapping, limit: input.limit });
}

/** The mapping file's entries, then --map's, which win. */
async function effectiveMapping(
  input: Pick<ImportInput, 'map' | 'mappingFile'>,
): Promise<Map<string, Category>> {
  const fromFile = input.mappingFile
    ? await parseMappingFile(input.mappingFile)
    : new Map<string, Category>();
  const fromOption = input.map ? parseMapOption(input.map) : new Map<string, Category>();
  return new Map([...fromFile, ...fromOption]);
}

async function datasetSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UserError(`cannot read dataset file ${path}: not a file`);
    return info.size;
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw unreadableFile(path, error);
  }
}

/** The file's SHA-256 (hex) as it is read; `cancel` stops reading it. */
interface Fingerprint {
  sha256: Promise<string>;
  done(): boolean;
  cancel(): void;
}

function startFingerprint(path: string): Fingerprint {
  const stream = createReadStream(path);
  let done = false;
  const sha256 = (async () => {
    try {
      const hash = createHash('sha256');
      for await (const chunk of stream) hash.update(chunk as Buffer);
      return hash.digest('hex');
    } catch (error) {
      throw unreadableFile(path, error);
    } finally {
      done = true;
    }
  })();
  // Awaited only by an import that gets that far; a failure before then must not count as unhandled.
  sha256.catch(() => undefined);
  return { sha256, done: () => done, cancel: () => stream.destroy() };
}

function unreadableFile(path: string, error: unknown): UserError {
  return new UserError(
    `cannot read dataset file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
  );
}

/** The file's bytes were imported into the incident before: the import adds nothing. */
class DuplicateDataset extends Error {
  override readonly name = 'DuplicateDataset';
  constructor(readonly existing: DatasetRow) {
    super('dataset already imported');
  }
}

function duplicateResult(existing: DatasetRow): ImportResult {
  return {
    datasetId: existing.id,
    duplicateOf: existing.id,
    format: existing.format,
    layout: existing.layout,
    compression: existing.compression,
    read: 0,
    valid: 0,
    quarantined: 0,
    unknownFields: [],
    firstProblems: [],
  };
}
