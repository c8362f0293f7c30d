import { EMPTY, isBlank } from './bytes.js';
import { RowBytes, tooLarge } from './row-bytes.js';
import type { ParserContext, RowParser } from './row-parser.js';

const LF = 0x0a;
const CR = 0x0d;

/** One JSON record per line; blank lines are skipped but counted. */
export class NdjsonParser implements RowParser {
  private readonly pending: RowBytes;
  private line: number;
  /** Offset of the line in progress, and of the next chunk's first byte. */
  private lineOffset: number;
  private chunkOffset: number;

  constructor(private readonly context: ParserContext) {
    this.pending = new RowBytes(context.maxRecordBytes);
    this.line = context.firstLine;
    this.lineOffset = context.firstOffset;
    this.chunkOffset = context.firstOffset;
  }

  push(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(LF); newline !== -1; newline = chunk.indexOf(LF, start)) {
      this.completeLine(chunk.subarray(start, newline));
      start = newline + 1;
      this.lineOffset = this.chunkOffset + start;
    }
    this.pending.add(chunk.subarray(start));
    this.chunkOffset += chunk.length;
  }

  end(): void {
    if (this.pending.length > 0) this.completeLine(EMPTY);
  }

  abort(reason: string): void {
    this.pending.finish(EMPTY);
    this.context.sink.quarantine(this.line, this.lineOffset, reason);
  }

  private completeLine(tail: Buffer): void {
    const line = this.line++;
    const whole = this.pending.length === 0 ? tail : this.pending.finish(tail);
    if (whole === null) {
      this.context.sink.quarantine(line, this.lineOffset, tooLarge(this.context.maxRecordBytes));
      return;
    }
    const bytes = withoutTrailingCr(whole);
    if (bytes.length > this.context.maxRecordBytes) {
      this.context.sink.quarantine(line, this.lineOffset, tooLarge(this.context.maxRecordBytes));
    } else if (!isBlank(bytes)) this.context.sink.json(line, this.lineOffset, bytes);
  }
}

function withoutTrailingCr(bytes: Buffer): Buffer {
  return bytes[bytes.length - 1] === CR ? bytes.subarray(0, bytes.length - 1) : bytes;
}
