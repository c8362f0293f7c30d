import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHmacSha256 } from '../../src/adapters/hmac-sha256.js';

const reference = (key: Uint8Array, value: string) =>
  createHmac('sha256', key).update(value, 'utf8').digest('base64url');

describe('HMAC-SHA-256 over precomputed pad states', () => {
  it('equals createHmac on random strings: ASCII, any UTF-16 (lone surrogates too), long ones', () => {
    const strings = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)) }),
      fc.string({ unit: 'grapheme', minLength: 300, maxLength: 1100 }),
      fc.string({ minLength: 1000, maxLength: 3000 }),
    );
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.array(strings, { maxLength: 8 }),
        (key, values) => {
          const hash = createHmacSha256(key);
          for (const value of values) expect(hash(value)).toBe(reference(key, value));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('equals createHmac at every message length around the block boundaries', () => {
    const key = randomBytes(32);
    const hash = createHmacSha256(key);
    for (let length = 0; length <= 1030; length++) {
      for (const unit of ['a', 'é', '€', '😀']) {
        const value = unit.repeat(length).slice(0, length);
        expect(hash(value)).toBe(reference(key, value));
      }
    }
  });

  it('refuses a key longer than a block, which HMAC would hash first', () => {
    expect(() => createHmacSha256(new Uint8Array(65))).toThrow(/longer than a block/);
  });
});
