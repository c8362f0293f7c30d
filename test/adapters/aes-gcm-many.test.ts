import { createCipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MANY_MAX_BLOCKS, createAesGcmMany } from '../../src/adapters/aes-gcm-many.js';
import { createSecretBox } from '../../src/adapters/secret-box.js';

/** What `seal` stores for one value: nonce, tag, ciphertext, from OpenSSL's AES-GCM alone. */
function reference(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), body]);
}

function sealMany(key: Uint8Array, plaintexts: Uint8Array[], nonces: Uint8Array): Buffer {
  const starts = new Int32Array(plaintexts.length + 1);
  plaintexts.forEach((plaintext, i) => (starts[i + 1] = starts[i]! + plaintext.length));
  return createAesGcmMany(key).seal(Buffer.concat(plaintexts), starts, plaintexts.length, nonces);
}

describe('AES-256-GCM of many short values at once', () => {
  it('writes byte for byte what createCipheriv writes for each value and nonce alone', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.array(fc.uint8Array({ maxLength: MANY_MAX_BLOCKS * 16 }), { maxLength: 20 }),
        (key, plaintexts) => {
          const nonces = randomBytes(12 * plaintexts.length);
          const expected = Buffer.concat(
            plaintexts.map((plaintext, i) => reference(key, nonces.subarray(i * 12, i * 12 + 12), plaintext)),
          );
          expect(sealMany(key, plaintexts, nonces).equals(expected)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is right at every length up to the largest it takes', () => {
    const key = randomBytes(32);
    const plaintexts = Array.from({ length: MANY_MAX_BLOCKS * 16 + 1 }, (_, length) => randomBytes(length));
    const nonces = randomBytes(12 * plaintexts.length);
    const expected = plaintexts.map((plaintext, i) =>
      reference(key, nonces.subarray(i * 12, i * 12 + 12), plaintext),
    );
    expect(sealMany(key, plaintexts, nonces).equals(Buffer.concat(expected))).toBe(true);
  });

  it('backs the secret box: each value sealed alone under a fresh nonce, long ones too, opened by open', () => {
    const box = createSecretBox(randomBytes(32));
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 200 })), { maxLength: 30 }),
        (values) => {
          const sealed = box.sealEach(values);
          expect(sealed.map((value) => box.open(value))).toEqual(values);
          expect(new Set(sealed.map((value) => value.slice(0, 19))).size).toBe(values.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
