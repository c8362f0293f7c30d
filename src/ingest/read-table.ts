import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { UserError } from '../core/errors.js';
import { CsvTokenizer, decodeCells, isBlankRecord } from './csv-tokenizer.js';
import type { CsvRecord } from './csv-tokenizer.js';
import { errorCode } from './error-code.js';

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
  let csv: CsvTable | undefined;
  let format: 'csv' | 'ndjson' | null = null;
  try {
    for await (const raw of lines) {
      lineNo += 1;
      const text = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (format === null) {
        if (text.trim().length === 0) continue;
        format = text.trimStart().startsWith('{') ? 'ndjson' : 'csv';
        if (format === 'csv') csv = new CsvTable(path, lineNo);
      }
      if (csv !== undefined) for (const row of csv.line(text)) yield row;
      else if (text.trim().length > 0) yield { line: lineNo, values: parseJsonRow(text, path, lineNo) };
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot read ${path}: ${errorCode(error) ?? (error as Error).message}`);
  }
  csv?.end();
}

async function openStream(path: string) {
  try {
    const handle = await open(path);
    return handle.createReadStream({ encoding: 'utf8' });
  } catch (error) {
    throw new UserError(`cannot read ${path}: ${errorCode(error) ?? 'error'}`);
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

/** The rows of a CSV file with a header, fed one line at a time. */
class CsvTable {
  private readonly tokenizer: CsvTokenizer;
  private readonly rows: TableRow[] = [];
  private header: string[] | undefined;

  constructor(
    private readonly path: string,
    firstLine: number,
  ) {
    this.tokenizer = new CsvTokenizer((record) => this.read(record), { firstLine, maxRecordBytes: Infinity });
  }

  /** The rows this line completes: none while a quoted cell goes on to the next line. */
  line(text: string): TableRow[] {
    // readline has taken the line break off; the tokenizer needs it to end the record.
    this.tokenizer.push(Buffer.from(`${text}\n`));
    return this.rows.splice(0);
  }

  end(): void {
    if (!this.tokenizer.inQuotedCell) return;
    throw new UserError(`${this.path}:${this.tokenizer.discard().line}: unterminated quoted cell`);
  }

  private read({ line, bytes, cells, error }: CsvRecord): void {
    // Only a size limit drops a record's bytes, and a directory file has none.
    if (bytes === null || isBlankRecord(bytes, cells)) return;
    if (error !== undefined) throw new UserError(`${this.path}:${line}: malformed CSV: ${error}`);
    const values = decodeCells(bytes, cells);
    if (this.header === undefined) {
      this.header = values.map((cell) => cell.trim().toLowerCase());
      return;
    }
    if (values.length !== this.header.length) {
      throw new UserError(
        `${this.path}:${line}: expected ${this.header.length} cells, found ${values.length}`,
      );
    }
    this.rows.push({ line, values: new Map(this.header.map((name, i) => [name, values[i] ?? ''])) });
  }
}
