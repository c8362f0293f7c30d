import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LAYOUT, instantiateSha256 } from '../../src/adapters/sha256-wasm.js';

const INITIAL = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/** SHA-256 of `message` by the module's compression alone, padding done here. */
function sha256(message: Uint8Array): string {
  const sha = instantiateSha256();
  const memory = new Uint8Array(sha.memory.buffer);
  const words = new DataView(sha.memory.buffer);
  INITIAL.forEach((word, i) => words.setInt32(LAYOUT.state + i * 4, word | 0, true));
  const blocks = (message.length + 9 + 63) >>> 6;
  const padded = new Uint8Array(blocks * 64);
  padded.set(message);
  padded[message.length] = 0x80;
  new DataView(padded.buffer).setUint32(padded.length - 4, message.length * 8);
  for (let block = 0; block < blocks; block++) {
    memory.set(padded.subarray(block * 64, block * 64 + 64), LAYOUT.message);
    sha.compress(LAYOUT.state, LAYOUT.message);
  }
  let hex = '';
  for (let i = 0; i < 8; i++)
    hex += words
      .getUint32(LAYOUT.state + i * 4, true)
      .toString(16)
      .padStart(8, '0');
  return hex;
}

describe('SHA-256 compression in WebAssembly', () => {
  it('hashes any message as node:crypto does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (message) => {
        expect(sha256(message)).toBe(createHash('sha256').update(message).digest('hex'));
      }),
      { numRuns: 300 },
    );
  });

  it('hashes every length around the block boundaries as node:crypto does', () => {
    for (let length = 0; length <= 200; length++) {
      const message = new Uint8Array(length).map((_, i) => (i * 131 + length) & 0xff);
      expect(sha256(message)).toBe(createHash('sha256').update(message).digest('hex'));
    }
  });
});
