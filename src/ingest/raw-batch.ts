import { isUtf8 } from 'node:buffer';
import type { RecordReader } from '../core/profile-record.js';
import type { EncodedRows, RecordEncoder } from './record-encoder.js';
import { RecordProblem, parseRecordText } from './record-text.js';

/**
 * Consecutive rows of one file or zip entry as they were read, not yet parsed: each row's JSON text
 * back to back, or why it was quarantined while being split. Everything in typed arrays, so a
 * batch moves to a worker thread without being copied.
 */
export interface RawBatch {
  /** The zip entry the rows come from. */
  source: string | undefined;
  /** Rows are numbered on from this ordinal. */
  firstOrdinal: number;
  count: number;
  /** The texts, each followed by a line feed. */
  bytes: Uint8Array;
  /** Where each row's text ends in `bytes` (a quarantined row has none). */
  ends: Int32Array;
  lines: Float64Array;
  offsets: Float64Array;
  /** Rows quarantined while splitting, by index in the batch, in order. */
  problems: { index: number; reason: string; field: string | undefined }[];
}

/** A batch is handed on once its texts reach this size (a bigger row gets a batch of its own). */
const BATCH_BYTES = 512 * 1024;
const BATCH_ROWS = 4096;
const LF = 0x0a;

export class RawBatchBuilder {
  private readonly batch: RawBatch;
  /** The batch's bytes as a Buffer, for writing strings into them: made once, not per row. */
  private readonly writer: Buffer;
  private used = 0;

  constructor(
    readonly source: string | undefined,
    firstOrdinal: number,
    minBytes = 0,
  ) {
    this.batch = {
      source,
      firstOrdinal,
      count: 0,
      bytes: new Uint8Array(Math.max(BATCH_BYTES, minBytes)),
      ends: new Int32Array(BATCH_ROWS),
      lines: new Float64Array(BATCH_ROWS),
      offsets: new Float64Array(BATCH_ROWS),
      problems: [],
    };
    this.writer = Buffer.from(this.batch.bytes.buffer);
  }

  get count(): number {
    return this.batch.count;
  }

  /** Room for one more row of `bytes` bytes. */
  fits(bytes: number): boolean {
    return this.batch.count < BATCH_ROWS && this.used + bytes + 1 <= this.batch.bytes.length;
  }

  addText(line: number, offset: number, text: Uint8Array | string): void {
    const { batch } = this;
    if (typeof text === 'string') this.used += this.writer.write(text, this.used, 'utf8');
    else {
      batch.bytes.set(text, this.used);
      this.used += text.length;
    }
    this.place(line, offset);
    batch.bytes[this.used++] = LF;
  }

  addProblem(line: number, offset: number, reason: string, field: string | undefined): void {
    this.batch.problems.push({ index: this.batch.count, reason, field });
    this.place(line, offset);
  }

  take(): RawBatch {
    const { batch } = this;
    return { ...batch, bytes: batch.bytes.subarray(0, this.used) };
  }

  private place(line: number, offset: number): void {
    const { batch } = this;
    batch.ends[batch.count] = this.used;
    batch.lines[batch.count] = line;
    batch.offsets[batch.count] = offset;
    batch.count += 1;
  }
}

/** Parses, reads and encodes a raw batch: the same outcome, row for row, as reading it in place. */
export function encodeRawBatch(batch: RawBatch, reader: RecordReader, encoder: RecordEncoder): EncodedRows {
  const { source, firstOrdinal, ends, lines, offsets, problems } = batch;
  const bytes = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  // Each text is followed by a line feed, which no character's bytes contain: a valid whole has valid texts.
  const valid = isUtf8(bytes);
  let problem = 0;
  let start = 0;
  for (let i = 0; i < batch.count; i++) {
    const ordinal = firstOrdinal + i;
    const line = lines[i]!;
    const offset = offsets[i]!;
    const end = ends[i]!;
    const split = problems[problem];
    if (split !== undefined && split.index === i) {
      problem += 1;
      encoder.quarantined(ordinal, line, offset, source, split.reason, split.field);
      continue;
    }
    const text = bytes.subarray(start, end);
    start = end + 1;
    const value = parseRecordText(text, valid);
    if (value instanceof RecordProblem) {
      encoder.quarantined(ordinal, line, offset, source, value.reason, undefined);
      continue;
    }
    const result = reader.read(value);
    if (result.ok) encoder.valid(ordinal, line, result.record, text);
    else encoder.quarantined(ordinal, line, offset, source, result.reason, result.field);
  }
  return encoder.take();
}
