import { availableParallelism } from 'node:os';
import type { SecretBox } from '../adapters/secret-box.js';
import { FORMAT_SPECS } from '../core/formats/format-specs.js';
import { createRecordReader } from '../core/profile-record.js';
import type { RecordReader } from '../core/profile-record.js';
import { createEncodePool } from './encode-pool.js';
import type { EncodePool } from './encode-pool.js';
import { encodeRawBatch } from './raw-batch.js';
import type { DatasetReader, DatasetRow } from './read-dataset.js';
import { RecordEncoder } from './record-encoder.js';
import type { EncodedRows } from './record-encoder.js';

/** Below this many bytes on disk, starting threads costs more than they save. */
const THREADS_FROM_BYTES = 16 * 1024 * 1024;
export const MAX_THREADS = 16;

/**
 * The threads an import of a file this size uses by default: none for a small one, else one less
 * than the cores, up to 2. Two encode about as fast as the importing thread inserts: a third would
 * add ~55 MB (two stay within 400 MB at a million records) and little speed. On two cores the cores
 * are the limit, and one thread is as fast as two (docs/ingest-performance.md).
 */
export function defaultThreads(sizeBytes: number): number {
  if (sizeBytes < THREADS_FROM_BYTES) return 0;
  return Math.max(0, Math.min(2, availableParallelism() - 1));
}

/**
 * The rows of a reader opened with `raw`, encoded for the database (keyed hashes, sealed address
 * and values), in the order they were read. With threads, raw batches are parsed and encoded in
 * worker threads while this one reads on and writes what comes back; a few batches at most are
 * in flight, so memory stays bounded.
 */
export async function* encodeDataset(
  reader: DatasetReader,
  { box, threads }: { box: SecretBox; threads: number },
): AsyncGenerator<EncodedRows> {
  const local = new RecordEncoder(box);
  let localReader: RecordReader | undefined;
  const { format, orgKeys, mapping } = reader.recordOptions;
  let pool: EncodePool | undefined;
  const inFlight: Promise<EncodedRows>[] = [];
  try {
    for await (const chunk of reader.chunks) {
      if ('rows' in chunk) {
        inFlight.push(Promise.resolve(encodeRows(chunk.rows, local)));
      } else if (threads > 0) {
        pool ??= createEncodePool({ keys: box.shareWithThread(), format, orgKeys, mapping }, threads);
        const encoded = pool.encode(chunk.raw);
        // Awaited in turn below; until then a failure must not count as unhandled.
        encoded.catch(() => undefined);
        inFlight.push(encoded);
      } else {
        localReader ??= createRecordReader({
          format: FORMAT_SPECS[format],
          orgKeys,
          mapping: new Map(mapping),
        });
        inFlight.push(Promise.resolve(encodeRawBatch(chunk.raw, localReader, local)));
      }
      while (inFlight.length > 2 * threads) yield await inFlight.shift()!;
    }
    while (inFlight.length > 0) yield await inFlight.shift()!;
  } finally {
    pool?.close();
  }
}

/** Rows read in this thread (the ones held while the format was detected). */
function encodeRows(rows: readonly DatasetRow[], encoder: RecordEncoder): EncodedRows {
  for (const row of rows) {
    if (row.status === 'valid') {
      encoder.valid(row.ordinal, row.line, row.fields, JSON.stringify(row.fields.values));
    } else {
      encoder.quarantined(row.ordinal, row.line, row.offset, row.source, row.reason, row.field);
    }
  }
  return encoder.take();
}
