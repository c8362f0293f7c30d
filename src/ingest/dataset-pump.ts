import { UserError } from '../core/errors.js';
import { CorruptInput } from './chunk-queue.js';
import type { ChunkQueue } from './chunk-queue.js';
import { CsvParser } from './csv-parser.js';
import { detectLayout } from './detect-layout.js';
import type { DatasetLayout } from './detect-layout.js';
import { errorCode } from './error-code.js';
import { JsonScanner } from './json-scanner.js';
import { NdjsonParser } from './ndjson-parser.js';
import type { DatasetSource, SourceEntry } from './open-dataset.js';
import type { ProgressMeter } from './progress-meter.js';
import type { ParserContext, RowParser } from './row-parser.js';
import type { RowSink } from './row-sink.js';

interface OpenEntry {
  parser: RowParser;
  entry: Extract<SourceEntry, { kind: 'stream' }>;
}

/**
 * Moves a dataset's bytes into the sink one chunk at a time: entry after entry, each with its own
 * layout, line numbers and offsets. The caller decides when to take the rows out.
 */
export class DatasetPump {
  /** The layout of the first entry that has any content. */
  layout: DatasetLayout | undefined;
  private current: OpenEntry | undefined;
  private done = false;

  constructor(
    private readonly source: DatasetSource,
    private readonly sink: RowSink,
    private readonly options: { path: string; maxRecordBytes: number; progress: ProgressMeter | undefined },
  ) {}

  /** Reads one more chunk, or opens the next entry; false once everything is read. */
  async step(): Promise<boolean> {
    if (this.done) return false;
    if (this.current === undefined) {
      const entry = await this.source.next().catch((error: unknown) => {
        throw unreadable(this.options.path, error);
      });
      if (entry === null) {
        this.done = true;
        this.options.progress?.finish(this.sink.count);
        return false;
      }
      await this.open(entry);
    } else {
      await this.advance(this.current);
    }
    this.options.progress?.tick(this.sink.count);
    return true;
  }

  close(): void {
    this.current?.entry.chunks.close();
    this.current = undefined;
    this.source.close();
  }

  private async open(entry: SourceEntry): Promise<void> {
    this.sink.source = entry.name;
    if (entry.kind === 'unreadable') {
      this.sink.quarantine(1, 0, entry.reason);
      return;
    }
    const head = await detectLayout(() => this.pullForHead(entry.chunks), this.options.maxRecordBytes);
    if (head.bytes.length > 0) this.layout ??= head.layout;
    const context: ParserContext = {
      sink: this.sink,
      maxRecordBytes: this.options.maxRecordBytes,
      firstLine: head.firstLine,
      firstOffset: head.firstOffset,
    };
    const parser = createParser(head.layout, context);
    if (head.bytes.length > 0) parser.push(head.bytes);
    this.current = { parser, entry };
  }

  private async advance({ parser, entry }: OpenEntry): Promise<void> {
    let chunk: Buffer | null;
    try {
      chunk = await entry.chunks.next();
    } catch (error) {
      if (!(error instanceof CorruptInput)) throw unreadable(this.options.path, error);
      parser.abort(error.reason);
      this.finishEntry();
      return;
    }
    if (chunk !== null) {
      parser.push(chunk);
      return;
    }
    const problem = entry.check();
    if (problem?.cut === true) {
      parser.abort(problem.reason);
    } else {
      parser.end();
      if (problem !== undefined) parser.abort(problem.reason);
    }
    this.finishEntry();
  }

  private finishEntry(): void {
    this.current?.entry.chunks.close();
    this.current = undefined;
  }

  /** A decompression error ends the head early; the next pull meets it again and quarantines it. */
  private async pullForHead(chunks: ChunkQueue): Promise<Buffer | null> {
    try {
      return await chunks.next();
    } catch (error) {
      if (error instanceof CorruptInput) return null;
      throw unreadable(this.options.path, error);
    }
  }
}

function createParser(layout: DatasetLayout, context: ParserContext): RowParser {
  switch (layout) {
    case 'ndjson':
      return new NdjsonParser(context);
    case 'json-array':
    case 'api-page':
    case 'json-objects':
      return new JsonScanner(context, layout);
    case 'csv':
      return new CsvParser(context);
  }
}

export function unreadable(path: string, error: unknown): UserError {
  const code = errorCode(error) ?? 'unknown error';
  return new UserError(`cannot read dataset file ${path}: ${code}`, { path, code });
}
