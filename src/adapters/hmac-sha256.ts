import { createHmac, createSecretKey } from 'node:crypto';
import { LAYOUT, instantiateSha256 } from './sha256-wasm.js';

/** SHA-256's initial hash value (FIPS 180-4, 5.3.3). */
const INITIAL = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Values up to this many UTF-16 units are hashed here; longer ones (rare) by `createHmac`. */
const MAX_UNITS = 1024;

/**
 * HMAC-SHA-256 (RFC 2104) of a string's UTF-8 bytes, base64url without padding, as
 * `createHmac('sha256', key).update(value, 'utf8').digest('base64url')` gives it. The states after
 * the key's inner and outer pad blocks are computed once, so a short value costs two SHA-256
 * compressions (WebAssembly, `sha256-wasm.ts`) and no native call: millions of identity keys are
 * hashed per import.
 */
export function createHmacSha256(key: Uint8Array): (value: string) => string {
  if (key.length > 64) throw new Error('an HMAC key longer than a block is hashed first: not supported here');
  const keyObject = createSecretKey(key);
  const sha = instantiateSha256();
  const memory = new Uint8Array(sha.memory.buffer);
  const words = new DataView(sha.memory.buffer);
  for (const [xor, start] of [
    [0x36, LAYOUT.innerStart],
    [0x5c, LAYOUT.outerStart],
  ] as const) {
    const pad = memory.subarray(LAYOUT.message, LAYOUT.message + 64).fill(xor);
    for (let i = 0; i < key.length; i++) pad[i] = key[i]! ^ xor;
    // The state is in the module's word order (little-endian), as it loads it.
    INITIAL.forEach((word, i) => words.setInt32(LAYOUT.state + i * 4, word, true));
    sha.compress(LAYOUT.state, LAYOUT.message);
    memory.copyWithin(start, LAYOUT.state, LAYOUT.state + 32);
  }
  // The outer block after the inner digest: padding, then 96 bytes (pad block and digest) = 768 bits.
  memory.fill(0, LAYOUT.outerBlock, LAYOUT.outerBlock + 64);
  memory[LAYOUT.outerBlock + 32] = 0x80;
  memory[LAYOUT.outerBlock + 62] = 0x03;
  const bytes = Buffer.from(sha.memory.buffer, LAYOUT.message, MAX_UNITS * 3 + 128);
  const digest = memory.subarray(LAYOUT.digest, LAYOUT.digest + 32);
  return (value) => {
    if (value.length > MAX_UNITS) {
      return createHmac('sha256', keyObject).update(value, 'utf8').digest('base64url');
    }
    let length = value.length;
    for (let i = 0; i < length; i++) {
      const unit = value.charCodeAt(i);
      if (unit >= 0x80) {
        // Buffer's UTF-8 is what createHmac hashes, lone surrogates included (as U+FFFD).
        length = bytes.write(value, 0, 'utf8');
        break;
      }
      bytes[i] = unit;
    }
    // Padding (FIPS 180-4, 5.1.1) after the 64 bytes of the inner pad block already hashed.
    const blocks = (length + 9 + 63) >>> 6;
    const end = blocks << 6;
    bytes[length] = 0x80;
    bytes.fill(0, length + 1, end - 4);
    const bits = (64 + length) * 8;
    bytes[end - 4] = bits >>> 24;
    bytes[end - 3] = bits >>> 16;
    bytes[end - 2] = bits >>> 8;
    bytes[end - 1] = bits;
    sha.hmac(blocks);
    return base64url(digest);
  };
}

function base64url(bytes: Uint8Array): string {
  const c = CODES;
  const u = UNITS;
  let j = 0;
  let i = 0;
  for (; i < 30; i += 3) {
    const triple = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    u[j++] = c[triple >>> 18]!;
    u[j++] = c[(triple >>> 12) & 63]!;
    u[j++] = c[(triple >>> 6) & 63]!;
    u[j++] = c[triple & 63]!;
  }
  // 32 bytes leave two: three characters, no padding.
  const pair = (bytes[30]! << 8) | bytes[31]!;
  u[40] = c[pair >>> 10]!;
  u[41] = c[(pair >>> 4) & 63]!;
  u[42] = c[(pair << 2) & 63]!;
  return String.fromCharCode.apply(null, u);
}

const CODES = Uint8Array.from(BASE64URL, (ch) => ch.charCodeAt(0));
const UNITS: number[] = new Array<number>(43).fill(0);
