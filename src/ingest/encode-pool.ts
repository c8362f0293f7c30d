import type { Worker } from 'node:worker_threads';
import { startTypeScriptWorker } from '../adapters/typescript-worker.js';
import type { SharedKeys } from '../adapters/secret-box.js';
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

export interface EncodeRequest {
  id: number;
  batch: RawBatch;
}

export type EncodeReply = { id: number; rows: EncodedRows } | { id: number; error: string };

export interface EncodePool {
  encode(batch: RawBatch): Promise<EncodedRows>;
  close(): void;
}

/**
 * Parses, reads, hashes and seals raw batches in worker threads, while the thread that asked
 * reads the file and writes to the database. Each thread holds the shared keys and its own
 * record reader; a batch goes to the thread with the fewest waiting.
 */
export function createEncodePool(data: EncodeWorkerData, threads: number): EncodePool {
  const workers = Array.from({ length: Math.max(1, threads) }, () => startWorker(data));
  const waiting = new Map<number, { resolve: (rows: EncodedRows) => void; reject: (error: Error) => void }>();
  const load = workers.map(() => 0);
  let nextId = 0;
  let broken: Error | null = null;
  const fail = (error: Error) => {
    broken ??= error;
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
  };
  workers.forEach((worker, index) => {
    worker.on('message', (reply: EncodeReply) => {
      load[index]! -= 1;
      const pending = waiting.get(reply.id);
      waiting.delete(reply.id);
      if ('error' in reply) pending?.reject(new Error(`an import thread failed: ${reply.error}`));
      else pending?.resolve(reply.rows);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`an import thread stopped (exit code ${code})`)));
  });
  return {
    encode(batch) {
      if (broken) return Promise.reject(broken);
      const id = nextId++;
      const index = load.indexOf(Math.min(...load));
      load[index]! += 1;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        const request: EncodeRequest = { id, batch };
        // The batch's memory moves to the thread: the reader has handed it on for good.
        workers[index]!.postMessage(request, [
          batch.bytes.buffer as ArrayBuffer,
          batch.ends.buffer as ArrayBuffer,
          batch.lines.buffer as ArrayBuffer,
          batch.offsets.buffer as ArrayBuffer,
        ]);
      });
    },
    close() {
      broken ??= new Error('the import is over');
      for (const worker of workers) void worker.terminate();
    },
  };
}

// Not unref'd: at the end of a SQLite import the threads' replies are all the event loop waits on.
function startWorker(data: EncodeWorkerData): Worker {
  return startTypeScriptWorker(new URL('./encode-worker.ts', import.meta.url), data);
}
