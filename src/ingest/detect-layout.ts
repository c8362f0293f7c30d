import { EMPTY, firstNonWhitespace, isWhitespace } from './bytes.js';

export type DatasetLayout = 'api-page' | 'json-array' | 'json-objects' | 'ndjson' | 'csv';

const LF = 0x0a;
const QUOTE = 0x22;
const COLON = 0x3a;
const COMMA = 0x2c;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** How far to look for the `results` key of a page object before taking it for a record. */
const PAGE_SNIFF_BYTES = 64 * 1024;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const RESULTS = 'results';

export interface DatasetHead {
  layout: DatasetLayout;
  /** The stream from its first non-whitespace byte, as far as read. */
  bytes: Buffer;
  firstLine: number;
  /** Byte offset of `bytes` in the stream: the byte order mark and leading whitespace before it. */
  firstOffset: number;
}

/**
 * Pulls chunks (null at the end) until the layout is known, past a byte order mark and leading
 * whitespace.
 */
export async function detectLayout(
  pull: () => Promise<Buffer | null>,
  maxRecordBytes: number,
): Promise<DatasetHead> {
  let bytes = EMPTY;
  let skippedLines = 0;
  let skippedBytes = 0;
  let bomChecked = false;
  for (;;) {
    const chunk = await pull();
    if (chunk !== null) bytes = bytes.length === 0 ? chunk : Buffer.concat([bytes, chunk]);
    if (!bomChecked && (bytes.length >= UTF8_BOM.length || chunk === null)) {
      if (bytes.subarray(0, UTF8_BOM.length).equals(UTF8_BOM)) {
        bytes = bytes.subarray(UTF8_BOM.length);
        skippedBytes += UTF8_BOM.length;
      }
      bomChecked = true;
    }
    if (!bomChecked) continue;
    const start = firstNonWhitespace(bytes);
    const skipped = start === -1 ? bytes.length : start;
    skippedLines += countLines(bytes.subarray(0, skipped));
    skippedBytes += skipped;
    bytes = bytes.subarray(skipped);
    const layout = bytes.length === 0 ? undefined : layoutOf(bytes, chunk === null, maxRecordBytes);
    const head = { bytes, firstLine: 1 + skippedLines, firstOffset: skippedBytes };
    if (layout !== undefined) return { layout, ...head };
    if (chunk === null) return { layout: 'ndjson', ...head };
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
  const line = head.subarray(0, newline === -1 ? head.length : newline);
  let value: unknown;
  try {
    value = JSON.parse(line.toString('utf8'));
  } catch {
    return continuesOnNextLine(line) ? documentLayout(head, atEnd) : 'ndjson';
  }
  return isPageObject(value) ? 'api-page' : 'ndjson';
}

function isPageObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (Object.hasOwn(value, '$distinct_id') || Object.hasOwn(value, 'distinct_id')) return false;
  return Object.hasOwn(value, RESULTS) && Array.isArray((value as { results: unknown }).results);
}

function mentionsResultsArray(head: Buffer): boolean {
  return /"results"\s*:\s*\[/.test(head.toString('utf8', 0, PAGE_SNIFF_BYTES));
}

/** JSON strings cannot span lines, so a line ending inside one is a broken record, not a document. */
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

/**
 * An object spread over lines is an API page when one of its own keys is `results` holding an array;
 * otherwise a record, maybe the first of several (`jq .` output). Undefined while neither shows.
 */
function documentLayout(head: Buffer, atEnd: boolean): DatasetLayout | undefined {
  let depth = 0;
  let stringStart = -1;
  let expectKey = false;
  let key = '';
  let afterColon = false;
  const end = Math.min(head.length, PAGE_SNIFF_BYTES);
  for (let i = 0; i < end; i++) {
    const byte = head[i];
    if (stringStart !== -1) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) {
        if (depth === 1 && expectKey) key = head.toString('utf8', stringStart, i);
        expectKey = false;
        stringStart = -1;
      }
      continue;
    }
    if (isWhitespace(byte)) continue;
    if (afterColon && depth === 1 && byte === OPEN_BRACKET && key === RESULTS) return 'api-page';
    afterColon = false;
    if (byte === QUOTE) stringStart = i + 1;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth++;
      expectKey = depth === 1;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
      if (depth <= 0) return 'json-objects';
    } else if (depth === 1 && byte === COLON) afterColon = true;
    else if (depth === 1 && byte === COMMA) expectKey = true;
  }
  return atEnd || end === PAGE_SNIFF_BYTES ? 'json-objects' : undefined;
}

function countLines(bytes: Buffer): number {
  let count = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) count++;
  return count;
}
