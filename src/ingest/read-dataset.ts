import { UserError } from '../core/errors.js';
import type { ProfileFields } from '../core/profile-record.js';
import type { ChunkQueue } from './chunk-queue.js';
import { CsvParser } from './csv-parser.js';
import { detectLayout } from './detect-layout.js';
import { errorCode } from './error-code.js';
import { JsonScanner } from './json-scanner.js';
import { NdjsonParser } from './ndjson-parser.js';
import { openDataset } from './open-dataset.js';
import type { ParserContext, RowParser } from './row-parser.js';
import { RowSink } from './row-sink.js';

export type DatasetLayout = 'api-page' | 'json-array' | 'ndjson' | 'csv';
export type DatasetCompression = 'gzip' | 'none';

export interface ReadDatasetOptions {
  /** `auto` reads Mixpanel People, the only format so far. */
  format: 'auto' | 'mixpanel-people';
  orgKeys: readonly string[];
  maxRecordBytes?: number;
}

export type DatasetRow =
  | { ordinal: number; line: number; status: 'valid'; fields: ProfileFields }
  | { ordinal: number; line: number; status: 'quarantined'; reason: string; field?: string };

export interface DatasetReader {
  layout: DatasetLayout;
  compression: DatasetCompression;
  /** Single use: iterate once, to the end or until break (which closes the file). */
  rows: AsyncIterable<DatasetRow>;
}

const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

/** Opens a vendor dataset file, detects its compression and layout, and streams its rows. */
export async function readDataset(path: string, options: ReadDatasetOptions): Promise<DatasetReader> {
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const { compression, source } = await openDataset(path).catch((error: unknown) => {
    throw unreadable(path, error);
  });
  try {
    const head = await detectLayout(() => pullForHead(source, path), maxRecordBytes);
    const sink = new RowSink(options.orgKeys);
    const parser = createParser(head.layout, { sink, maxRecordBytes, firstLine: head.firstLine, path });
    await prime(parser, head.bytes, source, path);
    return { layout: head.layout, compression, rows: streamRows(parser, sink, source, path) };
  } catch (error) {
    source.close();
    throw error;
  }
}

/** A decompression error ends the head early; the rows stream meets it again and quarantines it. */
async function pullForHead(source: ChunkQueue, path: string): Promise<Buffer | null> {
  try {
    return await source.next();
  } catch (error) {
    if (isZlibError(error)) return null;
    throw unreadable(path, error);
  }
}

function createParser(layout: DatasetLayout, context: ParserContext): RowParser {
  switch (layout) {
    case 'ndjson':
      return new NdjsonParser(context);
    case 'json-array':
      return new JsonScanner(context, 'json-array');
    case 'api-page':
      return new JsonScanner(context, 'api-page');
    case 'csv':
      return new CsvParser(context);
  }
}

async function prime(parser: RowParser, head: Buffer, source: ChunkQueue, path: string): Promise<void> {
  if (head.length > 0) parser.push(head);
  while (!parser.ready) {
    const chunk = await source.next().catch((error: unknown) => {
      throw unreadable(path, error);
    });
    if (chunk === null) parser.end();
    else parser.push(chunk);
  }
}

async function* streamRows(
  parser: RowParser,
  sink: RowSink,
  source: ChunkQueue,
  path: string,
): AsyncGenerator<DatasetRow> {
  try {
    yield* sink.take();
    for (;;) {
      let chunk: Buffer | null;
      try {
        chunk = await source.next();
      } catch (error) {
        if (!isZlibError(error)) throw unreadable(path, error);
        parser.abort(`gzip data is corrupt or truncated (${errorCode(error)})`);
        yield* sink.take();
        return;
      }
      if (chunk === null) break;
      parser.push(chunk);
      yield* sink.take();
    }
    parser.end();
    yield* sink.take();
  } finally {
    source.close();
  }
}

function unreadable(path: string, error: unknown): UserError {
  const code = errorCode(error) ?? 'unknown error';
  return new UserError(`cannot read dataset file ${path}: ${code}`, { path, code });
}

function isZlibError(error: unknown): boolean {
  return errorCode(error)?.startsWith('Z_') ?? false;
}
