import { parentPort, workerData } from 'node:worker_threads';
import nodemailer from 'nodemailer';
import type { SignRequest, SignReply, SigningWorkerData } from './signing-pool.js';

const { dkim } = workerData as SigningWorkerData;
// The same composer and DKIM signer as nodemailer's SMTP transport, writing to a buffer instead.
const composer = nodemailer.createTransport({
  streamTransport: true,
  buffer: true,
  newline: 'windows',
  // Sign#sign, which nodemailer calls with this value, takes a KeyObject; the types list only PEM.
  dkim: { ...dkim, privateKey: dkim.privateKey as unknown as string },
});

parentPort?.on('message', ({ id, message }: SignRequest) => {
  composer
    .sendMail({
      ...message,
      disableFileAccess: true,
      disableUrlAccess: true,
    })
    .then(
      (info) => {
        const raw = info.message as Buffer;
        const reply: SignReply = { id, raw };
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
