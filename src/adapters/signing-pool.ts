import type { MimeFields } from '../core/mime-message.js';
import type { DkimKeySettings } from './dkim-signer.js';
import type { ComposedMessage } from './message-composer.js';
import { createWorkerPool } from './worker-pool.js';

export interface SigningWorkerData {
  dkim: DkimKeySettings;
}

/** A composed message as it crosses from the thread: the bytes arrive as a plain Uint8Array. */
export interface SignedBytes {
  raw: Uint8Array;
  envelope: ComposedMessage['envelope'];
}

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
  const pool = createWorkerPool<MimeFields, SignedBytes>({
    entry: new URL('./signing-worker.ts', import.meta.url),
    workerData: { dkim } satisfies SigningWorkerData,
    threads,
    name: 'signing thread',
    keepsProcessAlive: false,
    // Started from a bundle, without the tsx loader in the thread.
    bundled: true,
  });
  return {
    async compose(message) {
      const { raw, envelope } = await pool.run(message);
      return { raw: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), envelope };
    },
    close: () => pool.close(),
  };
}
