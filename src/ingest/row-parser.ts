import type { RowSink } from './row-sink.js';

/** Turns the bytes of one dataset layout into rows in the sink, chunk by chunk. */
export interface RowParser {
  /** False until the parser has read what it must check before rows are handed out (CSV header). */
  readonly ready: boolean;
  push(chunk: Buffer): void;
  end(): void;
  /** The input broke off: quarantine whatever row was in progress (or the current line) once. */
  abort(reason: string): void;
}

export interface ParserContext {
  sink: RowSink;
  maxRecordBytes: number;
  firstLine: number;
  path: string;
}
