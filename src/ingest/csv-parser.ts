import { isUtf8 } from 'node:buffer';
import { CsvTokenizer, decodeCells, isBlankRecord } from './csv-tokenizer.js';
import type { CsvRecord } from './csv-tokenizer.js';
import { tooLarge } from './row-bytes.js';
import type { ParserContext, RowParser } from './row-parser.js';

const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;

/**
 * A header row naming the fields, then one record per row. A header that cannot be used is
 * quarantined, and so is every row after it: one bad entry of an archive must not stop the others.
 */
export class CsvParser implements RowParser {
  private header: string[] | undefined;
  private headerFailed = false;
  private readonly tokenizer: CsvTokenizer;

  constructor(private readonly context: ParserContext) {
    this.tokenizer = new CsvTokenizer((record) => this.read(record), context);
  }

  push(chunk: Buffer): void {
    this.tokenizer.push(chunk);
  }

  end(): void {
    if (this.tokenizer.inQuotedCell) this.abort('truncated: quoted cell not terminated at end of file');
    else this.tokenizer.flush();
  }

  abort(reason: string): void {
    const { line, offset } = this.tokenizer.discard();
    this.context.sink.quarantine(line, offset, reason);
  }

  private read({ line, offset, bytes, cells, error }: CsvRecord): void {
    if (bytes === null) this.reject(line, offset, tooLarge(this.context.maxRecordBytes));
    else if (isBlankRecord(bytes, cells)) return;
    else if (error !== undefined) this.reject(line, offset, `malformed CSV: ${error}`);
    else if (!isUtf8(bytes)) this.reject(line, offset, 'invalid UTF-8');
    else if (this.header !== undefined) this.readRecord(line, offset, bytes, cells, this.header);
    else if (this.headerFailed) this.context.sink.quarantine(line, offset, 'no usable CSV header row');
    else this.readHeader(line, offset, decodeCells(bytes, cells));
  }

  private reject(line: number, offset: number, reason: string): void {
    if (this.header === undefined && !this.headerFailed) {
      this.rejectHeader(line, offset, `CSV header row cannot be read: ${reason}`);
    } else this.context.sink.quarantine(line, offset, reason);
  }

  private readHeader(line: number, offset: number, names: string[]): void {
    const header = names.map((name) => name.trim());
    const seen = new Set<string>();
    for (const name of header) {
      if (seen.has(name)) {
        this.rejectHeader(line, offset, 'CSV header row names a column twice', name);
        return;
      }
      seen.add(name);
    }
    this.header = header;
  }

  private rejectHeader(line: number, offset: number, reason: string, field?: string): void {
    this.headerFailed = true;
    this.context.sink.quarantine(line, offset, reason, field);
  }

  private readRecord(line: number, offset: number, bytes: Buffer, cells: number[], header: string[]): void {
    const found = cells.length / 3;
    if (found !== header.length) {
      this.context.sink.quarantine(line, offset, `expected ${header.length} cells, found ${found}`);
      return;
    }
    const values = decodeCells(bytes, cells);
    // Without a prototype, a `__proto__` column is an ordinary own property like any other.
    const record: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (let index = 0; index < header.length; index++) {
      record[header[index] ?? ''] = cellValue(values[index] ?? '');
    }
    this.context.sink.record(line, offset, record, bytes.length);
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
