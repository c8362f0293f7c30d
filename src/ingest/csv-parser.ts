import { isUtf8 } from 'node:buffer';
import { UserError } from '../core/errors.js';
import { CsvTokenizer, decodeCells, isBlankRecord } from './csv-tokenizer.js';
import type { CsvRecord } from './csv-tokenizer.js';
import { tooLarge } from './row-bytes.js';
import type { ParserContext, RowParser } from './row-parser.js';

const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;

/** A header row naming the properties, then one profile per record. */
export class CsvParser implements RowParser {
  private header: string[] | undefined;
  private readonly tokenizer: CsvTokenizer;

  constructor(private readonly context: ParserContext) {
    this.tokenizer = new CsvTokenizer((record) => this.read(record), context);
  }

  get ready(): boolean {
    return this.header !== undefined;
  }

  push(chunk: Buffer): void {
    this.tokenizer.push(chunk);
  }

  end(): void {
    if (this.tokenizer.inQuotedCell) this.abort('truncated: quoted cell not terminated at end of file');
    else if (!this.tokenizer.flush() && this.header === undefined) throw this.headerError('is empty');
  }

  abort(reason: string): void {
    this.reject(this.tokenizer.discard(), reason);
  }

  private read({ line, bytes, cells, error }: CsvRecord): void {
    if (bytes === null) {
      this.reject(line, tooLarge(this.context.maxRecordBytes));
      return;
    }
    if (isBlankRecord(bytes, cells)) return;
    if (error !== undefined) this.reject(line, `malformed CSV: ${error}`);
    else if (!isUtf8(bytes)) this.reject(line, 'invalid UTF-8');
    else if (this.header === undefined) this.readHeader(decodeCells(bytes, cells));
    else this.readRecord(line, bytes, cells, this.header);
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
