import type { Worker } from 'node:worker_threads';
import type { MimeFields } from '../core/mime-message.js';
import type { DkimKeySettings } from './dkim-signer.js';
import { startTypeScriptWorker } from './typescript-worker.js';
import type { ComposedMessage } from './message-composer.js';

export interface SigningWorkerData {
  dkim: DkimKeySettings;
}

export interface SignRequest {
  id: number;
  message: MimeFields;
}

export type SignReply =
  { id: number; raw: Uint8Array; envelope: ComposedMessage['envelope'] } | { id: number; error: string };

export interface SigningPool {
  /** The whole message, MIME-encoded and DKIM-signed, ready to go over SMTP as it is. */
  compose(message: MimeFields): Promise<ComposedMessage>;
  close(): void;
}

/**
 * Composes and DKIM-signs messages in worker threads, so RSA signing (the sender's main cost)
 * runs beside the thread that talks SMTP and records results. Each thread holds the key object.
 */
export function createSigningPool({
  dkim,
  threads,
}: {
  dkim: SigningWorkerData['dkim'];
  threads: number;
}): SigningPool {
  const workers = Array.from({ length: Math.max(1, threads) }, () => startWorker({ dkim }));
  const waiting = new Map<
    number,
    { resolve: (message: ComposedMessage) => void; reject: (error: Error) => void }
  >();
  const load = workers.map(() => 0);
  let nextId = 0;
  let broken: Error | null = null;
  const fail = (error: Error) => {
    broken ??= error;
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
  };
  workers.forEach((worker, index) => {
    worker.on('message', (reply: SignReply) => {
      load[index]! -= 1;
      const pending = waiting.get(reply.id);
      waiting.delete(reply.id);
      if ('error' in reply) pending?.reject(new Error(`composing the message failed: ${reply.error}`));
      else
        pending?.resolve({
          raw: Buffer.from(reply.raw.buffer, reply.raw.byteOffset, reply.raw.byteLength),
          envelope: reply.envelope,
        });
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a signing thread stopped (exit code ${code})`)));
  });
  return {
    compose(message) {
      if (broken) return Promise.reject(broken);
      const id = nextId++;
      // The least busy thread; ties go to the first.
      const index = load.indexOf(Math.min(...load));
      load[index]! += 1;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        const request: SignRequest = { id, message };
        workers[index]!.postMessage(request);
      });
    },
    close() {
      broken ??= new Error('the sender is closed');
      for (const worker of workers) void worker.terminate();
    },
  };
}

function startWorker(data: SigningWorkerData): Worker {
  const worker = startTypeScriptWorker(new URL('./signing-worker.ts', import.meta.url), data);
  worker.unref();
  return worker;
}
