import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  randomFillSync,
} from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import { createAesGcmMany, MANY_MAX_BLOCKS } from './aes-gcm-many.js';
import { base64Length, writeBase64 } from './base64-text.js';
import { createHmacSha256 } from './hmac-sha256.js';

/**
 * Seals exposed values with AES-256-GCM and turns identity keys into keyed hashes (HMAC-SHA-256),
 * under one secret that never enters the database.
 */
export interface SecretBox {
  /** A string is sealed as its UTF-8 bytes. */
  seal(plaintext: string | Uint8Array): string;
  /**
   * The text `seal` gives, as its ASCII bytes in a buffer of their own: a large sealed value moves
   * to another thread and into the database without becoming a string in the JS heap.
   */
  sealText(plaintext: Uint8Array): Uint8Array;
  /** Each value sealed alone, as `seal` seals it, many at a time (much cheaper per value). */
  sealEach(plaintexts: readonly string[]): string[];
  open(sealed: string): string;
  /** A keyed hash: equal inputs give equal outputs, so matching stays a SQL join. */
  hash(value: string): string;
  /** Identifies the secret without revealing it, to refuse a database sealed under another key. */
  fingerprint: string;
  /**
   * The derived keys, for a worker thread of this process to build the same box with
   * `openSharedKeys`: never stored, logged or sent anywhere else.
   */
  shareWithThread(): SharedKeys;
}

/** What a worker thread needs to seal and hash as the box that shared them does. */
export interface SharedKeys {
  encryptionKey: Uint8Array;
  hashKey: Uint8Array;
  fingerprint: string;
}

const VERSION = 'v1';
const PREFIX = Buffer.from(`${VERSION}.`, 'latin1');
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export function createSecretBox(secret: Buffer): SecretBox {
  if (secret.length !== 32) throw new UserError('the breachdesk key must be 32 bytes');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), info, 32));
  const fingerprint = createHmac('sha256', derive('breachdesk key fingerprint v1'))
    .update('fingerprint')
    .digest('hex')
    .slice(0, 16);
  return openSharedKeys({
    encryptionKey: derive('breachdesk exposed values v1'),
    hashKey: derive('breachdesk identity keys v1'),
    fingerprint,
  });
}

export function openSharedKeys(keys: SharedKeys): SecretBox {
  const encryptionKey = Buffer.from(keys.encryptionKey);
  const hashKey = Buffer.from(keys.hashKey);
  const nonces = noncePool();
  const many = createAesGcmMany(encryptionKey);
  let scratch = Buffer.allocUnsafe(64 * 1024);
  let starts = new Int32Array(1024);
  let manyNonces = new Uint8Array(NONCE_BYTES * 1024);
  /** Nonce ‖ tag ‖ ciphertext. */
  const sealBytes = (plaintext: string | Uint8Array): Buffer => {
    const size = typeof plaintext === 'string' ? Buffer.byteLength(plaintext, 'utf8') : plaintext.length;
    const sealed = Buffer.allocUnsafe(NONCE_BYTES + TAG_BYTES + size);
    const iv = nonces.next(sealed);
    const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
    const body = typeof plaintext === 'string' ? cipher.update(plaintext, 'utf8') : cipher.update(plaintext);
    cipher.final();
    cipher.getAuthTag().copy(sealed, NONCE_BYTES);
    body.copy(sealed, NONCE_BYTES + TAG_BYTES);
    return sealed;
  };
  const box: SecretBox = {
    fingerprint: keys.fingerprint,
    shareWithThread: () => ({ encryptionKey, hashKey, fingerprint: keys.fingerprint }),
    seal: (plaintext) => `${VERSION}.${sealBytes(plaintext).toString('base64')}`,
    sealText(plaintext) {
      const sealed = sealBytes(plaintext);
      const text = new Uint8Array(PREFIX.length + base64Length(sealed.length));
      text.set(PREFIX);
      writeBase64(sealed, text, PREFIX.length);
      return text;
    },
    sealEach(plaintexts) {
      const sealed = new Array<string>(plaintexts.length);
      const short: number[] = [];
      let bytes = 0;
      for (let i = 0; i < plaintexts.length; i++) {
        const plaintext = plaintexts[i]!;
        if (plaintext.length * 3 <= MANY_MAX_BLOCKS * 16) {
          short.push(i);
          bytes += plaintext.length * 3;
        } else sealed[i] = box.seal(plaintext);
      }
      if (scratch.length < bytes) scratch = Buffer.allocUnsafe(bytes * 2);
      if (starts.length <= short.length) starts = new Int32Array(short.length * 2 + 1);
      if (manyNonces.length < short.length * NONCE_BYTES)
        manyNonces = new Uint8Array(short.length * 2 * NONCE_BYTES);
      let at = 0;
      for (let i = 0; i < short.length; i++) {
        starts[i] = at;
        at += scratch.write(plaintexts[short[i]!]!, at, 'utf8');
      }
      starts[short.length] = at;
      randomFillSync(manyNonces, 0, short.length * NONCE_BYTES);
      const out = many.seal(scratch, starts, short.length, manyNonces);
      let from = 0;
      for (let i = 0; i < short.length; i++) {
        const to = from + NONCE_BYTES + TAG_BYTES + starts[i + 1]! - starts[i]!;
        sealed[short[i]!] = `${VERSION}.${out.toString('base64', from, to)}`;
        from = to;
      }
      return sealed;
    },
    open(sealed) {
      const [version, payload] = sealed.split('.', 2);
      if (version !== VERSION || payload === undefined)
        throw new UserError('a sealed value has an unknown format');
      const bytes = Buffer.from(payload, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', encryptionKey, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      try {
        return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        throw new UserError('a sealed value cannot be opened with this key (wrong key or tampered data)');
      }
    },
    hash: createHmacSha256(hashKey),
  };
  return box;
}

export interface KeySource {
  /** BREACHDESK_KEY: 64 hex characters or base64 of 32 bytes. */
  envKey?: string | undefined;
  /** Used when envKey is absent; created with mode 0600 on first use. */
  keyFile: string;
}

export function loadSecret({ envKey, keyFile }: KeySource): Buffer {
  if (envKey) return parseKey(envKey, 'BREACHDESK_KEY');
  try {
    const info = statSync(keyFile);
    if ((info.mode & 0o077) !== 0) {
      throw new UserError(
        `key file ${keyFile} is readable by other users (mode ${(info.mode & 0o777).toString(8)}): chmod 600 it`,
      );
    }
    return parseKey(readFileSync(keyFile, 'utf8').trim(), keyFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      if (error instanceof UserError) throw error;
      throw new UserError(
        `cannot read key file ${keyFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
  }
  const secret = randomBytes(32);
  let fd: number;
  try {
    fd = openSync(keyFile, 'wx', 0o600);
  } catch (error) {
    throw new UserError(
      `cannot create key file ${keyFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  try {
    writeSync(fd, `${secret.toString('hex')}\n`);
  } finally {
    closeSync(fd);
  }
  return secret;
}

function parseKey(text: string, source: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new UserError(`${source} must hold 32 bytes as 64 hex characters or base64`);
  return key;
}

/**
 * Random 96-bit GCM nonces, drawn from the CSPRNG a few thousand at a time: one call each is slow.
 * Each is copied to the start of `into` (the sealed value's buffer) and returned as that slice.
 */
function noncePool(): { next(into: Buffer): Buffer } {
  const pool = Buffer.alloc(NONCE_BYTES * 4096);
  let position = pool.length;
  return {
    next(into) {
      if (position === pool.length) {
        randomFillSync(pool);
        position = 0;
      }
      pool.copy(into, 0, position, position + NONCE_BYTES);
      position += NONCE_BYTES;
      return into.subarray(0, NONCE_BYTES);
    },
  };
}
