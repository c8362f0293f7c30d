import { EMPTY, firstNonWhitespace } from './bytes.js';
import type { DatasetLayout } from './read-dataset.js';

const LF = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** How far into an over-long first line to look for the `results` key of a one-line API page. */
const PAGE_SNIFF_BYTES = 64 * 1024;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export interface DatasetHead {
  layout: DatasetLayout;
  /** The file from its first non-whitespace byte, as far as read. */
  bytes: Buffer;
  firstLine: number;
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
  let bomChecked = false;
  for (;;) {
    const chunk = await pull();
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

function countLines(bytes: Buffer): number {
  let count = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) count++;
  return count;
}
