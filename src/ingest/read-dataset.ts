import type { Category } from '../core/categories.js';
import { UserError } from '../core/errors.js';
import { FORMAT_NAMES } from '../core/formats/format-spec.js';
import type { FormatName } from '../core/formats/format-spec.js';
import type { ProfileFields, RecordReader } from '../core/profile-record.js';
import { DatasetPump, unreadable } from './dataset-pump.js';
import type { DatasetLayout } from './detect-layout.js';
import { openDataset } from './open-dataset.js';
import type { RawBatch } from './raw-batch.js';
import type { DatasetCompression } from './open-dataset.js';
import { ProgressMeter } from './progress-meter.js';
import type { DatasetProgress } from './progress-meter.js';
import { RowSink } from './row-sink.js';

export type { DatasetCompression, DatasetLayout, DatasetProgress };

/** `auto` detects the format from the first records; the others force it. */
export const DATASET_FORMATS = ['auto', ...FORMAT_NAMES] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

export interface ReadDatasetOptions {
  format?: DatasetFormat;
  /** Property names, also looked up as group keys inside `$groups`/`groups`, holding organization ids. */
  orgKeys: readonly string[];
  /** Field name (or dotted path, as reported) → category, over the format's own table. */
  mapping?: ReadonlyMap<string, Category>;
  maxRecordBytes?: number;
  /** Called at most about four times a second while reading, and once at the end. */
  onProgress?: (progress: DatasetProgress) => void;
  /**
   * Once the format is known, `chunks` hands the rows out unparsed, as raw batches, so another
   * thread can parse, read and encode them (`encodeDataset`); without it, `chunks` holds parsed rows only
   * (`rows` is the same one at a time).
   */
  raw?: boolean;
}

interface RowPlace {
  ordinal: number;
  /** Line where the row starts, in its file or zip entry. */
  line: number;
  /** Byte offset where the row starts, in the decompressed stream of its file or zip entry. */
  offset: number;
  /** The zip entry the row comes from. */
  source?: string;
}

export type DatasetRow =
  | (RowPlace & { status: 'valid'; fields: ProfileFields })
  | (RowPlace & { status: 'quarantined'; reason: string; field?: string });

export interface DatasetReader {
  /** The format records are read as: the one given, or the one detected. */
  format: FormatName;
  /** The layout of the first file or zip entry with content. */
  layout: DatasetLayout;
  compression: DatasetCompression;
  /** Single use: iterate once, to the end or until break (which closes the file). */
  rows: AsyncIterable<DatasetRow>;
  /**
   * The same rows a chunk at a time (no promise per row); with the `raw` option, raw batches too,
   * in the order of the rows. Use this or `rows`.
   */
  chunks: AsyncIterable<DatasetChunk>;
  /** What reads a record of the format, for a thread that reads raw batches. */
  recordOptions: { format: FormatName; orgKeys: readonly string[]; mapping: [string, Category][] };
}

export type DatasetChunk = { rows: DatasetRow[] } | { raw: RawBatch };

/** Sees each parsed record with the reader of its format; for inspecting a dataset. */
export type RecordObserver = (ordinal: number, value: unknown, reader: RecordReader) => void;

const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

/**
 * Opens a vendor dataset file, detects its compression, layout and format from its content, and
 * streams its rows. Resolves once the format is known, so a reader always names it.
 */
export function readDataset(path: string, options: ReadDatasetOptions): Promise<DatasetReader> {
  return openRows(path, options, undefined);
}

export async function openRows(
  path: string,
  options: ReadDatasetOptions,
  observe: RecordObserver | undefined,
): Promise<DatasetReader> {
  const format = checkedFormat(options.format ?? 'auto');
  const source = await openDataset(path).catch((error: unknown) => {
    throw unreadable(path, error);
  });
  const sink = new RowSink({
    format,
    orgKeys: options.orgKeys,
    mapping: options.mapping,
    observe,
    raw: options.raw === true,
  });
  const progress = options.onProgress && new ProgressMeter(options.onProgress, source);
  const pump = new DatasetPump(source, sink, {
    path,
    maxRecordBytes: options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
    progress,
  });
  try {
    while (!sink.decided && (await pump.step()));
    const formatName = sink.decide().format.name;
    return {
      format: formatName,
      layout: pump.layout ?? 'ndjson',
      compression: source.compression,
      rows: eachRow(streamBatches(pump, sink)),
      chunks: streamChunks(pump, sink),
      recordOptions: {
        format: formatName,
        orgKeys: options.orgKeys,
        mapping: [...(options.mapping ?? [])],
      },
    };
  } catch (error) {
    pump.close();
    throw error;
  }
}

async function* streamBatches(pump: DatasetPump, sink: RowSink): AsyncGenerator<DatasetRow[]> {
  try {
    let rows = sink.take();
    if (rows.length > 0) yield rows;
    while (await pump.step()) {
      rows = sink.take();
      if (rows.length > 0) yield rows;
    }
    rows = sink.take();
    if (rows.length > 0) yield rows;
  } finally {
    pump.close();
  }
}

async function* streamChunks(pump: DatasetPump, sink: RowSink): AsyncGenerator<DatasetChunk> {
  try {
    let more = true;
    for (;;) {
      const rows = sink.take();
      if (rows.length > 0) yield { rows };
      for (const raw of sink.takeBatches(!more)) yield { raw };
      if (!more) return;
      more = await pump.step();
    }
  } finally {
    pump.close();
  }
}

async function* eachRow(batches: AsyncIterable<DatasetRow[]>): AsyncGenerator<DatasetRow> {
  for await (const rows of batches) yield* rows;
}

function checkedFormat(format: string): DatasetFormat {
  if ((DATASET_FORMATS as readonly string[]).includes(format)) return format as DatasetFormat;
  throw new UserError(`unknown format "${format}"`, { known: DATASET_FORMATS.join(', ') });
}
