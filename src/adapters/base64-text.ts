const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = 0x3d;
/** Each 12-bit value's two base64 characters, the first in the low byte. */
const PAIRS = new Uint16Array(4096);
for (let i = 0; i < 4096; i++) PAIRS[i] = ALPHABET.charCodeAt(i >>> 6) | (ALPHABET.charCodeAt(i & 63) << 8);

/** Characters of `bytes` bytes in base64 with padding. */
export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/**
 * Writes `bytes` in base64 with padding, as `Buffer.toString('base64')` spells it, as ASCII into
 * `out` from `at`; returns where it ended. No string is made: a sealed value block (~150 KB) as a
 * string is a large object in the V8 heap, kept until a full collection.
 */
export function writeBase64(bytes: Uint8Array, out: Uint8Array, at: number): number {
  // Four characters a store, the first in the low byte: a quarter faster than byte stores.
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let j = at;
  let i = 0;
  const whole = bytes.length - (bytes.length % 3);
  for (; i < whole; i += 3) {
    const triple = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    view.setUint32(j, PAIRS[triple >>> 12]! | (PAIRS[triple & 4095]! << 16), true);
    j += 4;
  }
  const rest = bytes.length - whole;
  if (rest > 0) {
    const triple = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    const high = PAIRS[triple >>> 12]!;
    out[j] = high;
    out[j + 1] = high >>> 8;
    out[j + 2] = rest === 2 ? PAIRS[triple & 4095]! : PAD;
    out[j + 3] = PAD;
    j += 4;
  }
  return j;
}
