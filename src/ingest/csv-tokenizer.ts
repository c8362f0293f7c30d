import { EMPTY, isBlank } from './bytes.js';
import { RowBytes } from './row-bytes.js';

// Module-private on purpose: V8 folds these into the byte loop, but not imported bindings.
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;

/**
 * `quote-in-quoted`: a quote inside a quoted cell, either the first of a doubled quote or the
 * closing one; `after-close`: a CR after the closing quote, so only a delimiter or LF may follow.
 */
type CsvState = 'cell-start' | 'unquoted' | 'quoted' | 'quote-in-quoted' | 'after-close';

const CELL_QUOTED = 1;
const CELL_ESCAPED_QUOTES = 2;

/** One CSV record as read, before its bytes are decoded. */
export interface CsvRecord {
  /** The line the record starts on. */
  line: number;
  /** Byte offset of the record's first byte in the stream. */
  offset: number;
  /** Null when the record was over `maxRecordBytes`, so its bytes were let go. */
  bytes: Buffer | null;
  /** Three numbers per cell, for `decodeCells`: start and end offsets into `bytes`, and flags. */
  cells: number[];
  /** The first way the record breaks RFC 4180, if it does. */
  error: string | undefined;
}

export interface CsvTokenizerOptions {
  firstLine: number;
  /** Byte offset of the first byte pushed; 0 when absent. */
  firstOffset?: number;
  maxRecordBytes: number;
}

/**
 * RFC 4180 over bytes (its delimiters are ASCII, so UTF-8 is only decoded once a record is complete
 * and validated): quoted cells, doubled quotes, line breaks inside quotes, CRLF or LF records.
 */
export class CsvTokenizer {
  private readonly record: RowBytes;
  private line: number;
  private recordLine: number;
  private state: CsvState = 'cell-start';
  private cells: number[] = [];
  private cellStart = 0;
  private cellEnd = 0;
  private cellFlags = 0;
  private recordError: string | undefined;
  /** Record offset of the current chunk's first byte. */
  private recordBase = 0;
  /** Stream offsets of the current chunk's first byte and of the record in progress. */
  private chunkOffset: number;
  private recordOffset: number;

  constructor(
    private readonly onRecord: (record: CsvRecord) => void,
    options: CsvTokenizerOptions,
  ) {
    this.record = new RowBytes(options.maxRecordBytes);
    this.line = options.firstLine;
    this.recordLine = options.firstLine;
    this.chunkOffset = options.firstOffset ?? 0;
    this.recordOffset = this.chunkOffset;
  }

  /** True inside a quoted cell, where the input must not end. */
  get inQuotedCell(): boolean {
    return this.state === 'quoted';
  }

  push(chunk: Buffer): void {
    let recordStart = 0;
    this.recordBase = this.record.length;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] ?? 0;
      if (byte === LF) this.line++;
      if (this.step(byte, this.recordBase + i)) {
        this.finishRecord(chunk.subarray(recordStart, i), this.chunkOffset + i + 1);
        recordStart = i + 1;
        this.recordBase = -recordStart;
      }
    }
    this.record.add(chunk.subarray(recordStart));
    this.chunkOffset += chunk.length;
  }

  /** Emits a last record that has no line break after it; false when there is none. */
  flush(): boolean {
    if (this.record.length === 0 && this.cells.length === 0) return false;
    this.step(LF, this.record.length);
    this.finishRecord(EMPTY, this.chunkOffset);
    return true;
  }

  /** Drops the record in progress and tells where it starts. */
  discard(): { line: number; offset: number } {
    const place = { line: this.recordLine, offset: this.recordOffset };
    this.reset(this.chunkOffset);
    this.record.finish(EMPTY);
    return place;
  }

  /** Advances the state machine by one byte at record offset `at`; true when the byte ends the record. */
  private step(byte: number, at: number): boolean {
    switch (this.state) {
      case 'cell-start':
        if (byte === QUOTE) {
          this.state = 'quoted';
          this.beginCell(at + 1, CELL_QUOTED);
          return false;
        }
        this.beginCell(at, 0);
        this.state = 'unquoted';
        return this.unquotedByte(byte, at);
      case 'unquoted':
        return this.unquotedByte(byte, at);
      case 'quoted':
        if (byte === QUOTE) {
          this.cellEnd = at;
          this.state = 'quote-in-quoted';
        }
        return false;
      case 'quote-in-quoted':
        if (byte === QUOTE) {
          this.cellFlags |= CELL_ESCAPED_QUOTES;
          this.state = 'quoted';
          return false;
        }
        return this.afterCloseByte(byte);
      case 'after-close':
        return this.afterCloseByte(byte);
    }
  }

  private unquotedByte(byte: number, at: number): boolean {
    if (byte !== COMMA && byte !== LF) return false;
    this.cellEnd = at;
    return this.endCell(byte);
  }

  private afterCloseByte(byte: number): boolean {
    if (byte === COMMA || byte === LF) return this.endCell(byte);
    if (byte === CR) this.state = 'after-close';
    else this.recordError ??= 'text after a closing quote';
    return false;
  }

  private beginCell(start: number, flags: number): void {
    this.cellStart = start;
    this.cellEnd = start;
    this.cellFlags = flags;
  }

  private endCell(delimiter: number): boolean {
    if (!this.record.oversize) this.cells.push(this.cellStart, this.cellEnd, this.cellFlags);
    this.state = 'cell-start';
    return delimiter === LF;
  }

  /** Ends the record in progress; the next one starts at stream offset `next`. */
  private finishRecord(last: Buffer, next: number): void {
    const line = this.recordLine;
    const offset = this.recordOffset;
    const cells = this.cells;
    const error = this.recordError;
    this.reset(next);
    this.onRecord({ line, offset, bytes: this.record.finish(last), cells, error });
  }

  private reset(next: number): void {
    this.recordOffset = next;
    this.recordLine = this.line;
    this.cells = [];
    this.recordError = undefined;
    this.state = 'cell-start';
  }
}

/** A record that is one unquoted cell of whitespace: a blank line. */
export function isBlankRecord(bytes: Buffer, cells: readonly number[]): boolean {
  return cells.length === 3 && cells[2] === 0 && isBlank(bytes);
}

export function decodeCells(bytes: Buffer, cells: readonly number[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < cells.length; i += 3) {
    const start = cells[i] ?? 0;
    const flags = cells[i + 2] ?? 0;
    let end = cells[i + 1] ?? 0;
    const lastUnquoted = i + 3 === cells.length && (flags & CELL_QUOTED) === 0;
    if (lastUnquoted && end > start && bytes[end - 1] === CR) end--;
    const text = bytes.toString('utf8', start, end);
    values.push((flags & CELL_ESCAPED_QUOTES) === 0 ? text : text.replaceAll('""', '"'));
  }
  return values;
}
