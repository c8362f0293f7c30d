import { parentPort, workerData } from 'node:worker_threads';
import { createMessageComposer } from './message-composer.js';
import type { SignRequest, SignReply, SigningWorkerData } from './signing-pool.js';

const { dkim } = workerData as SigningWorkerData;
const compose = createMessageComposer({ dkim });

parentPort?.on('message', ({ id, message }: SignRequest) => {
  compose(message).then(
    ({ raw, envelope }) => {
      const reply: SignReply = { id, raw, envelope };
      // Moved, not copied, when the bytes own their memory (a pooled small buffer is copied).
      const owned = raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength;
      parentPort?.postMessage(reply, owned ? [raw.buffer as ArrayBuffer] : []);
    },
    (error: unknown) => {
      const reply: SignReply = { id, error: error instanceof Error ? error.message : String(error) };
      parentPort?.postMessage(reply);
    },
  );
});
