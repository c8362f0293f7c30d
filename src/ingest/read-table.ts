import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { UserError } from '../core/errors.js';

export interface TableRow {
  /** 1-based line where the row starts. */
  line: number;
  values: Map<string, string>;
}

/**
 * Reads a directory file, CSV with a header row or NDJSON of flat objects, detected from the first
 * character. Streams line by line; a malformed row is an error naming file and line.
 */
export async function* readTable(path: string): AsyncGenerator<TableRow> {
  const lines = createInterface({ input: await openStream(path), crlfDelay: Infinity });
  let lineNo = 0;
  let header: string[] | null = null;
  let format: 'csv' | 'ndjson' | null = null;
  let pending: { start: number; text: string } | null = null;
  try {
    for await (const raw of lines) {
      lineNo += 1;
      const text = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (pending === null && text.trim().length === 0) continue;
      format ??= text.trimStart().startsWith('{') ? 'ndjson' : 'csv';
      if (format === 'ndjson') {
        yield { line: lineNo, values: parseJsonRow(text, path, lineNo) };
        continue;
      }
      pending = pending
        ? { start: pending.start, text: `${pending.text}\n${text}` }
        : { start: lineNo, text };
      const cells = splitCsv(pending.text);
      if (cells === null) continue; // a quoted cell spans lines
      const start = pending.start;
      pending = null;
      if (header === null) {
        header = cells.map((cell) => cell.trim().toLowerCase());
        continue;
      }
      if (cells.length !== header.length) {
        throw new UserError(`${path}:${start}: expected ${header.length} cells, found ${cells.length}`);
      }
      yield { line: start, values: new Map(header.map((name, i) => [name, cells[i] ?? ''])) };
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  if (pending) throw new UserError(`${path}:${pending.start}: unterminated quoted cell`);
}

async function openStream(path: string) {
  try {
    const handle = await open(path);
    return handle.createReadStream({ encoding: 'utf8' });
  } catch (error) {
    throw new UserError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

function parseJsonRow(text: string, path: string, line: number): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UserError(`${path}:${line}: malformed JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UserError(`${path}:${line}: expected a JSON object`);
  }
  const values = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed)) {
    if (value === null || value === undefined) continue;
    values.set(key.toLowerCase(), typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return values;
}

/** RFC 4180 cells of one record, or null when a quoted cell is still open at the end. */
export function splitCsv(text: string): string[] | null {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else cell += ch;
    } else if (ch === '"' && cell.length === 0) quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
    i += 1;
  }
  if (quoted) return null;
  cells.push(cell);
  return cells;
}
