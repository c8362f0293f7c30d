import type { Category } from '../core/categories.js';
import { detectFormat } from '../core/formats/detect-format.js';
import { isJsonObject } from '../core/formats/format-spec.js';
import type { FormatName, JsonObject } from '../core/formats/format-spec.js';
import { FORMAT_SPECS } from '../core/formats/format-specs.js';
import { createRecordReader } from '../core/profile-record.js';
import type { RecordReader } from '../core/profile-record.js';
import { RawBatchBuilder } from './raw-batch.js';
import type { RawBatch } from './raw-batch.js';
import type { DatasetRow } from './read-dataset.js';
import { RecordProblem, parseRecordText } from './record-text.js';
/** The format is detected from the first records: this many, or this many bytes of them. */
const SAMPLE_RECORDS = 64;
const SAMPLE_BYTES = 1024 * 1024;
/** Rows held back until the format is known, however few of them are records. */
const MAX_HELD_ROWS = 1024;

export interface RowSinkOptions {
  format: FormatName | 'auto';
  orgKeys: readonly string[];
  mapping: ReadonlyMap<string, Category> | undefined;
  /** Sees every parsed record, valid or not, as the reader reads it. */
  observe?: (ordinal: number, value: unknown, reader: RecordReader) => void;
  /** Once the format is known, hand rows out unparsed, as raw batches (see `raw-batch.ts`). */
  raw?: boolean;
}

interface HeldRecord {
  status: 'held';
  ordinal: number;
  line: number;
  offset: number;
  source: string | undefined;
  value: unknown;
}

/**
 * Numbers the rows and turns record text into valid or quarantined rows. Until the format is known
 * the rows are held back, in order, while the first records are sampled to detect it.
 */
export class RowSink {
  private entry: string | undefined;
  private ordinal = 0;
  private batch: RawBatchBuilder | undefined;
  private batches: RawBatch[] = [];
  private rows: DatasetRow[] = [];
  private held: (DatasetRow | HeldRecord)[] | undefined = [];
  private sample: JsonObject[] = [];
  private sampleBytes = 0;
  private reader: RecordReader | undefined;

  constructor(private readonly options: RowSinkOptions) {}

  get decided(): boolean {
    return this.reader !== undefined;
  }

  /** Rows numbered so far. */
  get count(): number {
    return this.ordinal;
  }

  /** The zip entry the rows come from; undefined for a plain or gzip file. */
  get source(): string | undefined {
    return this.entry;
  }

  set source(name: string | undefined) {
    this.endBatch();
    this.entry = name;
  }

  private get rawMode(): boolean {
    return this.options.raw === true && this.reader !== undefined;
  }

  json(line: number, offset: number, bytes: Buffer): void {
    if (this.rawMode) {
      this.batchFor(bytes.length).addText(line, offset, bytes);
      return;
    }
    const value = parseRecordText(bytes);
    if (value instanceof RecordProblem) this.quarantine(line, offset, value.reason);
    else this.record(line, offset, value, bytes.length);
  }

  record(line: number, offset: number, value: unknown, size: number): void {
    if (this.rawMode) {
      const json = JSON.stringify(value);
      this.batchFor(Buffer.byteLength(json)).addText(line, offset, json);
      return;
    }
    const ordinal = ++this.ordinal;
    if (this.reader !== undefined) {
      this.rows.push(this.read(this.reader, ordinal, line, offset, this.source, value));
      return;
    }
    const held = this.hold({ status: 'held', ordinal, line, offset, source: this.source, value });
    if (isJsonObject(value)) {
      this.sample.push(value);
      this.sampleBytes += size;
    }
    if (this.sample.length >= SAMPLE_RECORDS || this.sampleBytes >= SAMPLE_BYTES || held >= MAX_HELD_ROWS) {
      this.decide();
    }
  }

  quarantine(line: number, offset: number, reason: string, field?: string): void {
    if (this.rawMode) {
      this.batchFor(0).addProblem(line, offset, reason, field);
      return;
    }
    const row: DatasetRow = { ordinal: ++this.ordinal, line, offset, status: 'quarantined', reason };
    if (field !== undefined) row.field = field;
    if (this.source !== undefined) row.source = this.source;
    if (this.held === undefined) this.rows.push(row);
    else this.hold(row);
  }

  /** Settles the format, from the sample unless it was given, and releases the rows held back. */
  decide(): RecordReader {
    if (this.reader !== undefined) return this.reader;
    const { format, orgKeys, mapping } = this.options;
    const reader = createRecordReader({
      format: FORMAT_SPECS[format === 'auto' ? detectFormat(this.sample) : format],
      orgKeys,
      mapping,
    });
    this.reader = reader;
    for (const row of this.held ?? []) {
      this.rows.push(
        row.status === 'held'
          ? this.read(reader, row.ordinal, row.line, row.offset, row.source, row.value)
          : row,
      );
    }
    this.held = undefined;
    this.sample = [];
    return reader;
  }

  /** The rows ready to hand out; none while the format is still being detected. */
  take(): DatasetRow[] {
    const rows = this.rows;
    this.rows = [];
    return rows;
  }

  /** The raw batches filled since the last call; with `end`, the one being filled too. */
  takeBatches(end: boolean): RawBatch[] {
    if (end) this.endBatch();
    const batches = this.batches;
    this.batches = [];
    return batches;
  }

  /** The batch being filled, numbering the row it is for; a new one when this row does not fit. */
  private batchFor(bytes: number): RawBatchBuilder {
    const ordinal = ++this.ordinal;
    if (this.batch !== undefined && this.batch.fits(bytes)) return this.batch;
    this.endBatch();
    this.batch = new RawBatchBuilder(this.entry, ordinal, bytes + 1);
    return this.batch;
  }

  private endBatch(): void {
    if (this.batch !== undefined && this.batch.count > 0) this.batches.push(this.batch.take());
    this.batch = undefined;
  }

  private hold(row: DatasetRow | HeldRecord): number {
    const held = (this.held ??= []);
    held.push(row);
    return held.length;
  }

  private read(
    reader: RecordReader,
    ordinal: number,
    line: number,
    offset: number,
    source: string | undefined,
    value: unknown,
  ): DatasetRow {
    this.options.observe?.(ordinal, value, reader);
    const result = reader.read(value);
    let row: DatasetRow;
    if (result.ok) {
      row = { ordinal, line, offset, status: 'valid', fields: result.record };
    } else {
      row = { ordinal, line, offset, status: 'quarantined', reason: result.reason };
      if (result.field !== undefined) row.field = result.field;
    }
    if (source !== undefined) row.source = source;
    return row;
  }
}
