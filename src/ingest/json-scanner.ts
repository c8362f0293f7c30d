import { EMPTY, isWhitespace } from './bytes.js';
import { RowBytes, tooLarge } from './row-bytes.js';
import type { ParserContext, RowParser } from './row-parser.js';

// Module-private on purpose: V8 folds these into the byte loop, but not imported bindings.
const LF = 0x0a;
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

const RESULTS_KEY = Buffer.from('results');

export type JsonDocumentLayout = 'json-array' | 'api-page' | 'json-objects';

/**
 * A structural scanner that never parses the document as a whole: it tracks nesting and strings
 * byte by byte and hands each record to JSON.parse on its own: each element of the top-level array,
 * of the `results` array of each page object, or each top-level object of a sequence of them.
 */
export class JsonScanner implements RowParser {
  private readonly element: RowBytes;
  private readonly opener: number;
  private line: number;
  /** Offset of the next chunk's first byte. */
  private chunkOffset: number;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Depth inside the records array, -1 when outside one. */
  private recordsDepth = -1;
  private capturing = false;
  private elementLine = 0;
  private elementOffset = 0;
  private strayReported = false;
  private topLine = 0;
  private topOffset = 0;
  private topHasRecords = false;
  /** Page keys: bytes of `results` matched so far in the current depth-1 string, -1 when not. */
  private keyMatched = -1;
  private expectKey = false;
  private keyIsResults = false;
  private valueIsResults = false;

  constructor(
    private readonly context: ParserContext,
    private readonly layout: JsonDocumentLayout,
  ) {
    this.element = new RowBytes(context.maxRecordBytes);
    this.opener = layout === 'json-array' ? OPEN_BRACKET : OPEN_BRACE;
    this.line = context.firstLine;
    this.chunkOffset = context.firstOffset;
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
          this.startElement(i);
          captureStart = i;
        }
        this.structuralByte(byte);
      } else if (this.depth === 0) {
        if (this.topLevelByte(byte, i)) captureStart = i;
      } else {
        this.structuralByte(byte);
        // A top-level object of a sequence ends with its own closing brace.
        if (this.depth === 0 && this.capturing) this.finishElement(chunk.subarray(captureStart, i + 1));
      }
    }
    if (this.capturing) this.element.add(chunk.subarray(captureStart));
    this.chunkOffset += chunk.length;
  }

  end(): void {
    if (this.capturing) this.abort('truncated: element not terminated at end of file');
    else if (this.layout === 'api-page' && this.depth > 0 && !this.strayReported && !this.topHasRecords) {
      this.reportMissingResults();
    }
  }

  abort(reason: string): void {
    const line = this.capturing ? this.elementLine : this.line;
    const offset = this.capturing ? this.elementOffset : this.chunkOffset;
    this.capturing = false;
    this.element.finish(EMPTY);
    this.context.sink.quarantine(line, offset, reason);
  }

  private startElement(at: number): void {
    this.capturing = true;
    this.elementLine = this.line;
    this.elementOffset = this.chunkOffset + at;
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

  /** A byte inside a value, outside strings. */
  private structuralByte(byte: number): void {
    if (byte === QUOTE) this.openString();
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) this.open(byte);
    else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) this.close();
    else if (this.depth === 1) this.pageByte(byte);
  }

  /** A byte outside any value; true when it starts a record (a top-level object of a sequence). */
  private topLevelByte(byte: number, at: number): boolean {
    if (isWhitespace(byte)) return false;
    if (byte === this.opener) {
      this.strayReported = false;
      this.topLine = this.line;
      this.topOffset = this.chunkOffset + at;
      this.topHasRecords = this.layout !== 'api-page';
      this.depth = 1;
      this.expectKey = true;
      if (this.layout === 'json-array') this.recordsDepth = 1;
      if (this.layout !== 'json-objects') return false;
      this.startElement(at);
      return true;
    }
    if (!this.strayReported) {
      this.strayReported = true;
      this.context.sink.quarantine(
        this.line,
        this.chunkOffset + at,
        `unexpected content outside the ${this.expectedTopLevel()}`,
      );
    }
    if (byte === QUOTE) this.inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) this.depth = 1;
    return false;
  }

  private expectedTopLevel(): string {
    switch (this.layout) {
      case 'json-array':
        return 'JSON array';
      case 'api-page':
        return 'API page object';
      case 'json-objects':
        return 'JSON objects';
    }
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
    this.context.sink.quarantine(this.topLine, this.topOffset, 'API page object has no "results" array');
  }

  private finishElement(last: Buffer): void {
    this.capturing = false;
    const bytes = this.element.finish(last);
    if (bytes === null) {
      this.context.sink.quarantine(
        this.elementLine,
        this.elementOffset,
        tooLarge(this.context.maxRecordBytes),
      );
    } else this.context.sink.json(this.elementLine, this.elementOffset, bytes);
  }
}

function isCloser(byte: number): boolean {
  return byte === CLOSE_BRACKET || byte === CLOSE_BRACE;
}
