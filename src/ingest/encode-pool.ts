import type { SharedKeys } from '../adapters/secret-box.js';
import { createWorkerPool } from '../adapters/worker-pool.js';
import type { Category } from '../core/categories.js';
import type { FormatName } from '../core/formats/format-spec.js';
import type { RawBatch } from './raw-batch.js';
import type { EncodedRows } from './record-encoder.js';

export interface EncodeWorkerData {
  keys: SharedKeys;
  format: FormatName;
  orgKeys: readonly string[];
  mapping: [string, Category][];
}

/** A thread's encoded batch, and the milliseconds it spent on it. */
export interface ThreadEncoded {
  rows: EncodedRows;
  busyMs: number;
}

export interface EncodePool {
  encode(batch: RawBatch): Promise<ThreadEncoded>;
  close(): void;
}

/**
 * Parses, reads, hashes and seals raw batches in worker threads, while the thread that asked
 * reads the file and writes to the database. Each thread holds the shared keys and its own
 * record reader; a batch goes to the thread with the fewest waiting.
 */
export function createEncodePool(data: EncodeWorkerData, threads: number): EncodePool {
  const pool = createWorkerPool<RawBatch, ThreadEncoded>({
    entry: new URL('./encode-worker.ts', import.meta.url),
    workerData: data,
    threads,
    name: 'import thread',
    // At the end of a SQLite import the threads' replies are all the event loop waits on.
    keepsProcessAlive: true,
    bundled: true,
    // V8 grows a thread's young generation to 32 MB under this allocation rate; 16 MB costs no
    // measurable CPU and keeps two threads within the import's 400 MB at a million records.
    resourceLimits: { maxYoungGenerationSizeMb: 16 },
  });
  return {
    // The batch's memory moves to the thread: the reader has handed it on for good.
    encode: (batch) =>
      pool.run(batch, [
        batch.bytes.buffer as ArrayBuffer,
        batch.ends.buffer as ArrayBuffer,
        batch.lines.buffer as ArrayBuffer,
        batch.offsets.buffer as ArrayBuffer,
      ]),
    close: () => pool.close(),
  };
}
