import { availableParallelism } from 'node:os';
import type { SecretBox } from '../adapters/secret-box.js';
import { FORMAT_SPECS } from '../core/formats/format-specs.js';
import { createRecordReader } from '../core/profile-record.js';
import type { RecordReader } from '../core/profile-record.js';
import { createEncodePool } from './encode-pool.js';
import type { EncodePool } from './encode-pool.js';
import { encodeRawBatch } from './raw-batch.js';
import type { RawBatch } from './raw-batch.js';
import type { DatasetReader, DatasetRow } from './read-dataset.js';
import { RecordEncoder } from './record-encoder.js';
import type { EncodedRows } from './record-encoder.js';

/** Below this many bytes on disk, starting threads costs more than they save. */
const THREADS_FROM_BYTES = 16 * 1024 * 1024;
export const MAX_THREADS = 16;

/**
 * The threads an import of a file this size uses by default: none for a small one, else one less
 * than the cores, up to 2. A third would add ~55 MB and little speed. On two cores one thread and
 * the importing thread, which encodes whenever it would wait, keep both cores busy; a second thread
 * would pass 400 MB at a million records (docs/ingest-import-threads.md).
 */
export function defaultThreads(sizeBytes: number): number {
  if (sizeBytes < THREADS_FROM_BYTES) return 0;
  return Math.max(0, Math.min(2, availableParallelism() - 1));
}

/** Batches in a thread at most: the one it encodes and two waiting, so it never waits on this one. */
const PER_THREAD = 3;
/** Batches held besides those in threads: read, encoded here, or encoded and waiting to be written. */
const HELD_HERE = 3;

/** A raw batch on its way to the database, in the order it was read. */
interface Slot {
  /** Not yet handed to a thread or encoded here. */
  raw: RawBatch | undefined;
  /** Encoded, here or by a thread. */
  encoded: EncodedRows | undefined;
  failure: { error: unknown } | undefined;
}

/**
 * The rows of a reader opened with `raw`, encoded for the database (keyed hashes, sealed address
 * and values), in the order they were read. With threads, raw batches are parsed and encoded in
 * worker threads while this one reads on and writes what comes back; whenever the next batch to
 * write is still in a thread, this one encodes a later batch itself rather than wait, so its idle
 * time goes to encoding. A few batches at most are held, so memory stays bounded.
 */
export async function* encodeDataset(
  reader: DatasetReader,
  { box, threads }: { box: SecretBox; threads: number },
): AsyncGenerator<EncodedRows> {
  const local = new RecordEncoder(box);
  const { format, orgKeys, mapping } = reader.recordOptions;
  let localReader: RecordReader | undefined;
  const encodeHere = (raw: RawBatch) => {
    localReader ??= createRecordReader({ format: FORMAT_SPECS[format], orgKeys, mapping: new Map(mapping) });
    return encodeRawBatch(raw, localReader, local);
  };
  const chunks = reader.chunks[Symbol.asyncIterator]();
  let pool: EncodePool | undefined;
  const slots: Slot[] = [];
  /** Replies awaited from the threads. */
  let inThreads = 0;
  // Milliseconds this thread was busy (reading, writing, encoding: all but waiting for a thread),
  // and each thread on average encoding: this one encodes a batch only while it has been the less
  // busy, so neither waits on the other for long.
  const started = performance.now();
  let hereIdle = 0;
  let threadBusy = 0;
  let reading = true;
  /** Resolves when a thread replies: the loop below then looks again. */
  let wake: (() => void) | undefined;
  try {
    for (;;) {
      const head = slots[0];
      if (head?.encoded !== undefined) {
        slots.shift();
        yield head.encoded;
        continue;
      }
      if (head?.failure !== undefined) throw head.failure.error;
      if (threads > 0) {
        for (const slot of slots) {
          if (inThreads >= PER_THREAD * threads) break;
          if (slot.raw === undefined) continue;
          pool ??= createEncodePool({ keys: box.shareWithThread(), format, orgKeys, mapping }, threads);
          const raw = slot.raw;
          slot.raw = undefined;
          inThreads += 1;
          const replied = () => {
            inThreads -= 1;
            const woken = wake;
            wake = undefined;
            woken?.();
          };
          pool.encode(raw).then(
            ({ rows, busyMs }) => {
              slot.encoded = rows;
              threadBusy += busyMs / threads;
              replied();
            },
            (error: unknown) => {
              slot.failure = { error };
              replied();
            },
          );
        }
      }
      const waiting = slots.find((slot) => slot.raw !== undefined);
      if (reading && slots.length < PER_THREAD * threads + HELD_HERE && waiting === undefined) {
        const next = await chunks.next();
        if (next.done === true) reading = false;
        else if ('rows' in next.value) slots.push(settled(encodeRows(next.value.rows, local)));
        else slots.push({ raw: next.value.raw, encoded: undefined, failure: undefined });
        continue;
      }
      if (waiting !== undefined && (threads === 0 || performance.now() - started - hereIdle < threadBusy)) {
        const raw = waiting.raw!;
        waiting.raw = undefined;
        waiting.encoded = encodeHere(raw);
        continue;
      }
      if (head === undefined && !reading) return;
      const idle = performance.now();
      await new Promise<void>((resolve) => (wake = resolve));
      hereIdle += performance.now() - idle;
    }
  } finally {
    pool?.close();
    await chunks.return?.();
  }
}

function settled(encoded: EncodedRows): Slot {
  return { raw: undefined, encoded, failure: undefined };
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
