import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Length, writeBase64 } from '../../src/adapters/base64-text.js';

describe('base64 written as ASCII bytes', () => {
  it("spells any bytes as Buffer's base64 does, padding included, where it is asked to", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.nat({ max: 7 }), (bytes, at) => {
        const out = new Uint8Array(at + base64Length(bytes.length) + 2).fill(0x21);
        const end = writeBase64(bytes, out, at);
        expect(end).toBe(at + base64Length(bytes.length));
        expect(Buffer.from(out.subarray(at, end)).toString('latin1')).toBe(
          Buffer.from(bytes).toString('base64'),
        );
        expect([...out.subarray(0, at), ...out.subarray(end)].every((byte) => byte === 0x21)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('spells every length from 0 to 64 bytes of every byte value', () => {
    for (let length = 0; length <= 64; length++) {
      for (const fill of [0x00, 0x3e, 0x3f, 0x80, 0xfb, 0xff]) {
        const bytes = new Uint8Array(length).map((_, i) => (fill + i * 37) & 0xff);
        const out = new Uint8Array(base64Length(length));
        writeBase64(bytes, out, 0);
        expect(Buffer.from(out).toString('latin1')).toBe(Buffer.from(bytes).toString('base64'));
      }
    }
  });
});
