import { parentPort, workerData } from 'node:worker_threads';
import type { MimeFields } from '../core/mime-message.js';
import { createMessageComposer } from './message-composer.js';
import type { SignedBytes, SigningWorkerData } from './signing-pool.js';
import type { WorkerReply, WorkerRequest } from './worker-pool.js';

const { dkim } = workerData as SigningWorkerData;
const compose = createMessageComposer({ dkim });

parentPort?.on('message', ({ id, request }: WorkerRequest<MimeFields>) => {
  compose(request).then(
    ({ raw, envelope }) => {
      const reply: WorkerReply<SignedBytes> = { id, result: { raw, envelope } };
      // Moved, not copied, when the bytes own their memory (a pooled small buffer is copied).
      const owned = raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength;
      parentPort?.postMessage(reply, owned ? [raw.buffer as ArrayBuffer] : []);
    },
    (error: unknown) => {
      const reply: WorkerReply<SignedBytes> = {
        id,
        error: error instanceof Error ? error.message : String(error),
      };
      parentPort?.postMessage(reply);
    },
  );
});
