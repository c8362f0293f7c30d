import type { RowSink } from './row-sink.js';

/** Turns the bytes of one dataset layout into rows in the sink, chunk by chunk. */
export interface RowParser {
  push(chunk: Buffer): void;
  end(): void;
  /** The input broke off: quarantine whatever row was in progress (or the current line) once. */
  abort(reason: string): void;
}

export interface ParserContext {
  sink: RowSink;
  maxRecordBytes: number;
  firstLine: number;
  /** Byte offset of the first byte pushed, in the decompressed stream. */
  firstOffset: number;
}
