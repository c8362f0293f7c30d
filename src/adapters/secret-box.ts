import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  randomBytes,
  randomFillSync,
} from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { UserError } from '../core/errors.js';

/**
 * Seals exposed values with AES-256-GCM and turns identity keys into keyed hashes (HMAC-SHA-256),
 * under one secret that never enters the database.
 */
export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
  /** A keyed hash: equal inputs give equal outputs, so matching stays a SQL join. */
  hash(value: string): string;
  /** Identifies the secret without revealing it, to refuse a database sealed under another key. */
  fingerprint: string;
}

const VERSION = 'v1';

export function createSecretBox(secret: Buffer): SecretBox {
  if (secret.length !== 32) throw new UserError('the breachdesk key must be 32 bytes');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), info, 32));
  const encryptionKey = derive('breachdesk exposed values v1');
  // A key object is imported into OpenSSL once, not on every one of millions of hashes.
  const hashKey = createSecretKey(derive('breachdesk identity keys v1'));
  const nonces = noncePool();
  const fingerprint = createHmac('sha256', derive('breachdesk key fingerprint v1'))
    .update('fingerprint')
    .digest('hex')
    .slice(0, 16);
  return {
    fingerprint,
    seal(plaintext) {
      const iv = nonces.next();
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
      const body = cipher.update(plaintext, 'utf8');
      cipher.final();
      return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
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
    hash: (value) => createHmac('sha256', hashKey).update(value, 'utf8').digest('base64url'),
  };
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

/** Random 96-bit GCM nonces, drawn from the CSPRNG a few thousand at a time: one call each is slow. */
function noncePool(): { next(): Buffer } {
  const pool = Buffer.alloc(12 * 4096);
  let position = pool.length;
  return {
    next() {
      if (position === pool.length) {
        randomFillSync(pool);
        position = 0;
      }
      position += 12;
      return Buffer.from(pool.subarray(position - 12, position));
    },
  };
}
