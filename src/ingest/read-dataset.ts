import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { UserError } from '../core/errors.js';
import { toExposedRecord } from '../core/profile-record.js';
import type { ProfileFields } from '../core/profile-record.js';

export type DatasetLayout = 'api-page' | 'json-array' | 'ndjson' | 'csv';
export type DatasetCompression = 'gzip' | 'none';

export interface ReadDatasetOptions {
  /** `auto` reads Mixpanel People, the only format so far. */
  format: 'auto' | 'mixpanel-people';
  orgKeys: readonly string[];
  maxRecordBytes?: number;
}

export type DatasetRow =
  | { ordinal: number; line: number; status: 'valid'; fields: ProfileFields }
  | { ordinal: number; line: number; status: 'quarantined'; reason: string; field?: string };

export interface DatasetReader {
  layout: DatasetLayout;
  compression: DatasetCompression;
  /** Single use: iterate once, to the end or until break (which closes the file). */
  rows: AsyncIterable<DatasetRow>;
}

const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
const READ_CHUNK_BYTES = 1024 * 1024;
const GUNZIP_CHUNK_BYTES = 256 * 1024;
const QUEUED_CHUNKS = 4;
/** How far into an over-long first line to look for the `results` key of a one-line API page. */
const PAGE_SNIFF_BYTES = 64 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const EMPTY: Buffer = Buffer.alloc(0);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const RESULTS_KEY = Buffer.from('results');

/** Opens a vendor dataset file, detects its compression and layout, and streams its rows. */
export async function readDataset(path: string, options: ReadDatasetOptions): Promise<DatasetReader> {
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const { handle, compression } = await openDataset(path);
  const source = new ChunkQueue(openStreams(handle, compression));
  try {
    const head = await readHead(source, path, maxRecordBytes);
    const sink = new RowSink(options.orgKeys);
    const parser = createParser(head.layout, { sink, maxRecordBytes, firstLine: head.firstLine, path });
    await prime(parser, head.bytes, source, path);
    return { layout: head.layout, compression, rows: streamRows(parser, sink, source, path) };
  } catch (error) {
    source.close();
    throw error;
  }
}

// ── file and decompression ──────────────────────────────────────────────────────────────────────

/** One open file for both the magic-byte sniff and the stream, so both see the same file. */
async function openDataset(path: string): Promise<{ handle: FileHandle; compression: DatasetCompression }> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    const gzip = bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
    return { handle, compression: gzip ? 'gzip' : 'none' };
  } catch (error) {
    await handle?.close();
    throw unreadable(path, error);
  }
}

function openStreams(handle: FileHandle, compression: DatasetCompression): Readable[] {
  const file = handle.createReadStream({ start: 0, highWaterMark: READ_CHUNK_BYTES });
  if (compression === 'none') return [file];
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  file.on('error', (error) => gunzip.destroy(error));
  return [file, file.pipe(gunzip)];
}

function unreadable(path: string, error: unknown): UserError {
  const code = errorCode(error) ?? 'unknown error';
  return new UserError(`cannot read dataset file ${path}: ${code}`, { path, code });
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function isZlibError(error: unknown): boolean {
  return errorCode(error)?.startsWith('Z_') ?? false;
}

/**
 * Buffers a few chunks from 'data' events; unlike the stream's async iterator it hands out every
 * chunk decompressed before an error, so a truncated gzip loses nothing that was readable.
 */
class ChunkQueue {
  private readonly chunks: Buffer[] = [];
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly output: Readable;

  constructor(private readonly streams: readonly Readable[]) {
    const output = streams.at(-1);
    if (output === undefined) throw new Error('ChunkQueue needs a stream');
    this.output = output;
    output.on('data', (chunk: Buffer) => this.add(chunk));
    output.on('end', () => this.finish(undefined));
    output.on('error', (error) => this.finish(error));
  }

  /** The next chunk, null at the end; rethrows a stream error once the chunks before it are taken. */
  async next(): Promise<Buffer | null> {
    while (this.chunks.length === 0 && !this.ended) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    const chunk = this.chunks.shift();
    if (chunk !== undefined) {
      if (this.chunks.length < QUEUED_CHUNKS && this.output.isPaused()) this.output.resume();
      return chunk;
    }
    if (this.failure !== undefined) throw this.failure;
    return null;
  }

  close(): void {
    for (const stream of this.streams) stream.destroy();
  }

  private add(chunk: Buffer): void {
    this.chunks.push(chunk);
    if (this.chunks.length >= QUEUED_CHUNKS) this.output.pause();
    this.notify();
  }

  private finish(failure: Error | undefined): void {
    this.ended = true;
    this.failure ??= failure;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

// ── layout detection ────────────────────────────────────────────────────────────────────────────

interface Head {
  layout: DatasetLayout;
  /** The file from its first non-whitespace byte, as far as read. */
  bytes: Buffer;
  firstLine: number;
}

async function readHead(source: ChunkQueue, path: string, maxRecordBytes: number): Promise<Head> {
  let bytes = EMPTY;
  let skippedLines = 0;
  let bomChecked = false;
  for (;;) {
    const chunk = await pullForHead(source, path);
    if (chunk !== null) bytes = bytes.length === 0 ? chunk : Buffer.concat([bytes, chunk]);
    if (!bomChecked && (bytes.length >= UTF8_BOM.length || chunk === null)) {
      if (bytes.subarray(0, UTF8_BOM.length).equals(UTF8_BOM)) bytes = bytes.subarray(UTF8_BOM.length);
      bomChecked = true;
    }
    if (!bomChecked) continue;
    const start = firstNonWhitespace(bytes);
    skippedLines += countLines(bytes.subarray(0, start === -1 ? bytes.length : start));
    bytes = start === -1 ? EMPTY : bytes.subarray(start);
    const layout = bytes.length === 0 ? undefined : layoutOf(bytes, chunk === null, maxRecordBytes);
    if (layout !== undefined) return { layout, bytes, firstLine: 1 + skippedLines };
    if (chunk === null) return { layout: 'ndjson', bytes, firstLine: 1 + skippedLines };
  }
}

/** A decompression error ends the head early; the rows stream meets it again and quarantines it. */
async function pullForHead(source: ChunkQueue, path: string): Promise<Buffer | null> {
  try {
    return await source.next();
  } catch (error) {
    if (isZlibError(error)) return null;
    throw unreadable(path, error);
  }
}

function layoutOf(head: Buffer, atEnd: boolean, maxRecordBytes: number): DatasetLayout | undefined {
  if (head[0] === OPEN_BRACKET) return 'json-array';
  if (head[0] !== OPEN_BRACE) return 'csv';
  const newline = head.indexOf(LF);
  if (newline === -1 && !atEnd) {
    if (head.length <= maxRecordBytes) return undefined;
    return mentionsResultsArray(head) ? 'api-page' : 'ndjson';
  }
  return firstLineLayout(head.subarray(0, newline === -1 ? head.length : newline));
}

/**
 * NDJSON when the first line is a whole record; an API page when it is a page object, or the
 * opening of a value that continues on the next lines (a pretty-printed page).
 */
function firstLineLayout(line: Buffer): DatasetLayout {
  try {
    const value: unknown = JSON.parse(line.toString('utf8'));
    return isPageObject(value) ? 'api-page' : 'ndjson';
  } catch {
    return continuesOnNextLine(line) ? 'api-page' : 'ndjson';
  }
}

function isPageObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (Object.hasOwn(value, '$distinct_id') || Object.hasOwn(value, 'distinct_id')) return false;
  return Object.hasOwn(value, 'results') && Array.isArray((value as { results: unknown }).results);
}

function mentionsResultsArray(head: Buffer): boolean {
  return /"results"\s*:\s*\[/.test(head.toString('utf8', 0, PAGE_SNIFF_BYTES));
}

/** JSON strings cannot span lines, so a line ending inside one is a broken record, not a page. */
function continuesOnNextLine(line: Buffer): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const byte = line[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
    else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
  }
  return depth > 0 && !inString;
}

function isWhitespace(byte: number | undefined): boolean {
  return byte === SPACE || byte === LF || byte === CR || byte === TAB;
}

function firstNonWhitespace(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) if (!isWhitespace(bytes[i])) return i;
  return -1;
}

function countLines(bytes: Buffer): number {
  let count = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) count++;
  return count;
}

// ── rows ────────────────────────────────────────────────────────────────────────────────────────

interface RowParser {
  /** False until the parser has read what it must check before rows are handed out (CSV header). */
  readonly ready: boolean;
  push(chunk: Buffer): void;
  end(): void;
  /** The input broke off: quarantine whatever row was in progress (or the current line) once. */
  abort(reason: string): void;
}

interface ParserContext {
  sink: RowSink;
  maxRecordBytes: number;
  firstLine: number;
  path: string;
}

function createParser(layout: DatasetLayout, context: ParserContext): RowParser {
  switch (layout) {
    case 'ndjson':
      return new NdjsonParser(context);
    case 'json-array':
      return new JsonScanner(context, 'json-array');
    case 'api-page':
      return new JsonScanner(context, 'api-page');
    case 'csv':
      return new CsvParser(context);
  }
}

async function prime(parser: RowParser, head: Buffer, source: ChunkQueue, path: string): Promise<void> {
  if (head.length > 0) parser.push(head);
  while (!parser.ready) {
    const chunk = await source.next().catch((error: unknown) => {
      throw unreadable(path, error);
    });
    if (chunk === null) parser.end();
    else parser.push(chunk);
  }
}

async function* streamRows(
  parser: RowParser,
  sink: RowSink,
  source: ChunkQueue,
  path: string,
): AsyncGenerator<DatasetRow> {
  try {
    yield* sink.take();
    for (;;) {
      let chunk: Buffer | null;
      try {
        chunk = await source.next();
      } catch (error) {
        if (!isZlibError(error)) throw unreadable(path, error);
        parser.abort(`gzip data is corrupt or truncated (${errorCode(error)})`);
        yield* sink.take();
        return;
      }
      if (chunk === null) break;
      parser.push(chunk);
      yield* sink.take();
    }
    parser.end();
    yield* sink.take();
  } finally {
    source.close();
  }
}

/** Numbers the rows and turns record text into valid or quarantined rows. */
class RowSink {
  private ordinal = 0;
  private rows: DatasetRow[] = [];

  constructor(private readonly orgKeys: readonly string[]) {}

  json(line: number, bytes: Buffer): void {
    if (!isUtf8(bytes)) {
      this.quarantine(line, 'invalid UTF-8');
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      this.quarantine(line, `malformed JSON: ${describeJsonError(error)}`);
      return;
    }
    this.record(line, value);
  }

  record(line: number, value: unknown): void {
    const result = toExposedRecord(value, this.orgKeys);
    if (result.ok) this.rows.push({ ordinal: ++this.ordinal, line, status: 'valid', fields: result.record });
    else this.quarantine(line, result.reason, result.field);
  }

  quarantine(line: number, reason: string, field?: string): void {
    const row: DatasetRow = { ordinal: ++this.ordinal, line, status: 'quarantined', reason };
    if (field !== undefined) row.field = field;
    this.rows.push(row);
  }

  take(): DatasetRow[] {
    const rows = this.rows;
    this.rows = [];
    return rows;
  }
}

/** Only V8's fixed wording survives: the quoted token and the source excerpt are dataset values. */
const SAFE_JSON_ERROR = /^(?:[\w ()]|'[{}[\],:]')+$/;

function describeJsonError(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (message.startsWith('Unexpected token')) return 'Unexpected token';
  return SAFE_JSON_ERROR.test(message) ? message : 'invalid syntax';
}

function tooLarge(maxRecordBytes: number): string {
  return `row exceeds ${formatBytes(maxRecordBytes)}`;
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

function withoutTrailingCr(bytes: Buffer): Buffer {
  return bytes[bytes.length - 1] === CR ? bytes.subarray(0, bytes.length - 1) : bytes;
}

function isBlank(bytes: Buffer): boolean {
  return firstNonWhitespace(bytes) === -1;
}

/**
 * Collects the bytes of one row that may span chunks, and forgets them once the row is over the
 * size limit so an oversize row is skipped without being held.
 */
class RowBytes {
  private parts: Buffer[] = [];
  private size = 0;
  oversize = false;

  constructor(private readonly maxRecordBytes: number) {}

  get length(): number {
    return this.size;
  }

  add(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.size += bytes.length;
    if (this.oversize) return;
    if (this.size > this.maxRecordBytes) {
      this.oversize = true;
      this.parts = [];
    } else {
      this.parts.push(bytes);
    }
  }

  /** Adds the last piece and returns the whole row, or null when it was over the limit. */
  finish(last: Buffer): Buffer | null {
    this.add(last);
    const parts = this.parts;
    const oversize = this.oversize;
    this.parts = [];
    this.size = 0;
    this.oversize = false;
    if (oversize) return null;
    return parts.length === 1 ? (parts[0] ?? EMPTY) : Buffer.concat(parts);
  }
}

// ── NDJSON ──────────────────────────────────────────────────────────────────────────────────────

class NdjsonParser implements RowParser {
  readonly ready = true;
  private readonly pending: RowBytes;
  private line: number;

  constructor(private readonly context: ParserContext) {
    this.pending = new RowBytes(context.maxRecordBytes);
    this.line = context.firstLine;
  }

  push(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(LF); newline !== -1; newline = chunk.indexOf(LF, start)) {
      this.completeLine(chunk.subarray(start, newline));
      start = newline + 1;
    }
    this.pending.add(chunk.subarray(start));
  }

  end(): void {
    if (this.pending.length > 0) this.completeLine(EMPTY);
  }

  abort(reason: string): void {
    this.pending.finish(EMPTY);
    this.context.sink.quarantine(this.line, reason);
  }

  private completeLine(tail: Buffer): void {
    const line = this.line++;
    const whole = this.pending.length === 0 ? tail : this.pending.finish(tail);
    if (whole === null) {
      this.context.sink.quarantine(line, tooLarge(this.context.maxRecordBytes));
      return;
    }
    const bytes = withoutTrailingCr(whole);
    if (bytes.length > this.context.maxRecordBytes)
      this.context.sink.quarantine(line, tooLarge(this.context.maxRecordBytes));
    else if (!isBlank(bytes)) this.context.sink.json(line, bytes);
  }
}

// ── JSON array and API page ─────────────────────────────────────────────────────────────────────

/**
 * A structural scanner that never parses the document as a whole: it tracks nesting and strings
 * byte by byte and hands each element of the records array (the top-level array, or the `results`
 * array of each page object) to JSON.parse on its own.
 */
class JsonScanner implements RowParser {
  readonly ready = true;
  private readonly element: RowBytes;
  private readonly opener: number;
  private line: number;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Depth inside the records array, -1 when outside one. */
  private recordsDepth = -1;
  private capturing = false;
  private elementLine = 0;
  private strayReported = false;
  private topLine = 0;
  private topHasRecords = false;
  /** Page keys: bytes of `results` matched so far in the current depth-1 string, -1 when not. */
  private keyMatched = -1;
  private expectKey = false;
  private keyIsResults = false;
  private valueIsResults = false;

  constructor(
    private readonly context: ParserContext,
    private readonly layout: 'json-array' | 'api-page',
  ) {
    this.element = new RowBytes(context.maxRecordBytes);
    this.opener = layout === 'json-array' ? OPEN_BRACKET : OPEN_BRACE;
    this.line = context.firstLine;
  }

  push(chunk: Buffer): void {
    let captureStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] ?? 0;
      if (byte === LF) this.line++;
      if (this.inString) {
        this.stringByte(byte);
      } else if (this.depth === this.recordsDepth) {
        const ended = this.capturing && (byte === COMMA || byte === CLOSE_BRACKET || byte === CLOSE_BRACE);
        if (ended) this.finishElement(chunk.subarray(captureStart, i));
        if (!this.capturing && !ended && !isWhitespace(byte) && byte !== COMMA && !isCloser(byte)) {
          this.capturing = true;
          this.elementLine = this.line;
          captureStart = i;
        }
        this.structuralByte(byte);
      } else {
        this.structuralByte(byte);
      }
    }
    if (this.capturing) this.element.add(chunk.subarray(captureStart));
  }

  end(): void {
    if (this.capturing) this.abort('truncated: element not terminated at end of file');
    else if (this.layout === 'api-page' && this.depth > 0 && !this.strayReported && !this.topHasRecords) {
      this.reportMissingResults();
    }
  }

  abort(reason: string): void {
    const line = this.capturing ? this.elementLine : this.line;
    this.capturing = false;
    this.element.finish(EMPTY);
    this.context.sink.quarantine(line, reason);
  }

  private stringByte(byte: number): void {
    if (this.escaped) {
      this.escaped = false;
    } else if (byte === BACKSLASH) {
      this.escaped = true;
      this.keyMatched = -1;
    } else if (byte === QUOTE) {
      this.inString = false;
      if (this.depth === 1) this.keyIsResults = this.keyMatched === RESULTS_KEY.length;
    } else if (this.keyMatched !== -1) {
      this.keyMatched = RESULTS_KEY[this.keyMatched] === byte ? this.keyMatched + 1 : -1;
    }
  }

  private structuralByte(byte: number): void {
    if (this.depth === 0) this.topLevelByte(byte);
    else if (byte === QUOTE) this.openString();
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) this.open(byte);
    else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) this.close();
    else if (this.depth === 1) this.pageByte(byte);
  }

  private topLevelByte(byte: number): void {
    if (isWhitespace(byte)) return;
    if (byte === this.opener) {
      this.strayReported = false;
      this.topLine = this.line;
      this.topHasRecords = this.layout === 'json-array';
      this.depth = 1;
      this.expectKey = true;
      if (this.layout === 'json-array') this.recordsDepth = 1;
      return;
    }
    if (!this.strayReported) {
      this.strayReported = true;
      this.context.sink.quarantine(this.line, `unexpected content outside the ${this.expectedTopLevel()}`);
    }
    if (byte === QUOTE) this.inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) this.depth = 1;
  }

  private expectedTopLevel(): string {
    return this.layout === 'json-array' ? 'JSON array' : 'API page object';
  }

  private openString(): void {
    this.inString = true;
    this.keyMatched = this.depth === 1 && this.expectKey ? 0 : -1;
  }

  private open(byte: number): void {
    const opensResults =
      this.layout === 'api-page' &&
      this.depth === 1 &&
      this.valueIsResults &&
      byte === OPEN_BRACKET &&
      !this.strayReported;
    this.depth++;
    this.valueIsResults = false;
    if (opensResults) {
      this.recordsDepth = this.depth;
      this.topHasRecords = true;
    }
  }

  private close(): void {
    if (this.depth === this.recordsDepth) this.recordsDepth = -1;
    this.depth--;
    const pageClosed = this.depth === 0 && this.layout === 'api-page' && !this.strayReported;
    if (pageClosed && !this.topHasRecords) this.reportMissingResults();
  }

  /** Follows the keys of a page object, to find the array under `results`. */
  private pageByte(byte: number): void {
    if (byte === COMMA) {
      this.expectKey = true;
      this.valueIsResults = false;
    } else if (byte === COLON) {
      this.expectKey = false;
      this.valueIsResults = this.keyIsResults;
      this.keyIsResults = false;
    } else if (!isWhitespace(byte)) {
      this.valueIsResults = false;
    }
  }

  private reportMissingResults(): void {
    this.context.sink.quarantine(this.topLine, 'API page object has no "results" array');
  }

  private finishElement(last: Buffer): void {
    this.capturing = false;
    const bytes = this.element.finish(last);
    if (bytes === null) this.context.sink.quarantine(this.elementLine, tooLarge(this.context.maxRecordBytes));
    else this.context.sink.json(this.elementLine, bytes);
  }
}

function isCloser(byte: number): boolean {
  return byte === CLOSE_BRACKET || byte === CLOSE_BRACE;
}

// ── CSV ─────────────────────────────────────────────────────────────────────────────────────────

/**
 * `quote-in-quoted`: a quote inside a quoted cell, either the first of a doubled quote or the
 * closing one; `after-close`: a CR after the closing quote, so only a delimiter or LF may follow.
 */
type CsvState = 'cell-start' | 'unquoted' | 'quoted' | 'quote-in-quoted' | 'after-close';

const CELL_QUOTED = 1;
const CELL_ESCAPED_QUOTES = 2;

/**
 * RFC 4180 over bytes (its delimiters are ASCII, so UTF-8 is only decoded once a row is complete
 * and validated). Cells are kept as offsets into the row: start, end, flags.
 */
class CsvParser implements RowParser {
  private header: string[] | undefined;
  private readonly row: RowBytes;
  private line: number;
  private rowLine: number;
  private state: CsvState = 'cell-start';
  private cells: number[] = [];
  private cellStart = 0;
  private cellEnd = 0;
  private cellFlags = 0;
  private rowError: string | undefined;
  /** Row offset of the current chunk's first byte. */
  private rowBase = 0;

  constructor(private readonly context: ParserContext) {
    this.row = new RowBytes(context.maxRecordBytes);
    this.line = context.firstLine;
    this.rowLine = context.firstLine;
  }

  get ready(): boolean {
    return this.header !== undefined;
  }

  push(chunk: Buffer): void {
    let rowStart = 0;
    this.rowBase = this.row.length;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] ?? 0;
      if (byte === LF) this.line++;
      if (this.step(byte, this.rowBase + i)) {
        this.finishRow(chunk.subarray(rowStart, i));
        rowStart = i + 1;
        this.rowBase = -rowStart;
      }
    }
    this.row.add(chunk.subarray(rowStart));
  }

  end(): void {
    if (this.state === 'quoted') {
      this.abort('truncated: quoted cell not terminated at end of file');
    } else if (this.row.length > 0 || this.cells.length > 0) {
      this.step(LF, this.row.length);
      this.finishRow(EMPTY);
    } else if (this.header === undefined) {
      throw this.headerError('is empty');
    }
  }

  abort(reason: string): void {
    const line = this.rowLine;
    this.resetRow();
    this.row.finish(EMPTY);
    this.reject(line, reason);
  }

  /** Advances the state machine by one byte at row offset `at`; true when the byte ends the row. */
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
    else this.rowError ??= 'text after a closing quote';
    return false;
  }

  private beginCell(start: number, flags: number): void {
    this.cellStart = start;
    this.cellEnd = start;
    this.cellFlags = flags;
  }

  private endCell(delimiter: number): boolean {
    if (!this.row.oversize) this.cells.push(this.cellStart, this.cellEnd, this.cellFlags);
    this.state = 'cell-start';
    return delimiter === LF;
  }

  private finishRow(last: Buffer): void {
    const line = this.rowLine;
    const cells = this.cells;
    const rowError = this.rowError;
    this.resetRow();
    const bytes = this.row.finish(last);
    if (bytes === null) {
      this.reject(line, tooLarge(this.context.maxRecordBytes));
      return;
    }
    if (isBlankRow(bytes, cells)) return;
    if (rowError !== undefined) this.reject(line, `malformed CSV: ${rowError}`);
    else if (!isUtf8(bytes)) this.reject(line, 'invalid UTF-8');
    else if (this.header === undefined) this.readHeader(decodeCells(bytes, cells));
    else this.readRecord(line, bytes, cells, this.header);
  }

  private resetRow(): void {
    this.rowLine = this.line;
    this.cells = [];
    this.rowError = undefined;
    this.state = 'cell-start';
  }

  private reject(line: number, reason: string): void {
    if (this.header === undefined) throw this.headerError(`cannot be read: ${reason}`);
    this.context.sink.quarantine(line, reason);
  }

  private readHeader(names: string[]): void {
    const header = names.map((name) => name.trim());
    if (!header.includes('$distinct_id') && !header.includes('distinct_id')) {
      throw this.headerError('has no $distinct_id or distinct_id column');
    }
    const seen = new Set<string>();
    for (const name of header) {
      if (seen.has(name)) throw this.headerError(`names the column ${JSON.stringify(name)} twice`);
      seen.add(name);
    }
    this.header = header;
  }

  private readRecord(line: number, bytes: Buffer, cells: number[], header: string[]): void {
    const found = cells.length / 3;
    if (found !== header.length) {
      this.context.sink.quarantine(line, `expected ${header.length} cells, found ${found}`);
      return;
    }
    const values = decodeCells(bytes, cells);
    // Without a prototype, a `__proto__` column is an ordinary own property like any other.
    const record: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (let index = 0; index < header.length; index++) {
      record[header[index] ?? ''] = cellValue(values[index] ?? '');
    }
    this.context.sink.record(line, record);
  }

  private headerError(problem: string): UserError {
    const path = this.context.path;
    return new UserError(`dataset file ${path} looks like CSV, but its header row ${problem}`, { path });
  }
}

function isBlankRow(bytes: Buffer, cells: readonly number[]): boolean {
  return cells.length === 3 && cells[2] === 0 && isBlank(bytes);
}

function decodeCells(bytes: Buffer, cells: readonly number[]): string[] {
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

/** Lists and objects are JSON-encoded in Mixpanel CSV exports; anything else stays text. */
function cellValue(text: string): unknown {
  const first = text.charCodeAt(0);
  if (first !== OPEN_BRACKET && first !== OPEN_BRACE) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
