import { createHmac, createSecretKey } from 'node:crypto';

/** SHA-256 round constants (FIPS 180-4, 4.2.2). */
const ROUND = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
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
 * compressions in this thread and no native call: millions of identity keys are hashed per import.
 */
export function createHmacSha256(key: Uint8Array): (value: string) => string {
  if (key.length > 64) throw new Error('an HMAC key longer than a block is hashed first: not supported here');
  const keyObject = createSecretKey(key);
  const pad = new Uint8Array(64);
  const words = new Int32Array(64);
  const innerStart = new Int32Array(8);
  const outerStart = new Int32Array(8);
  for (const [xor, start] of [
    [0x36, innerStart],
    [0x5c, outerStart],
  ] as const) {
    pad.fill(xor);
    for (let i = 0; i < key.length; i++) pad[i] = key[i]! ^ xor;
    start.set(INITIAL);
    compress(start, words, pad, 0);
  }
  const bytes = Buffer.alloc(MAX_UNITS * 3 + 128);
  const state = new Int32Array(8);
  const digest = new Uint8Array(32);
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
    state.set(innerStart);
    for (let block = 0; block < blocks; block++) compress(state, words, bytes, block << 6);
    writeWords(state, digest);
    state.set(outerStart);
    outerBlock(state, words, digest);
    writeWords(state, digest);
    return base64url(digest);
  };
}

/** The outer hash's one block: the inner digest, padding, and the length of pad block + digest. */
function outerBlock(state: Int32Array, words: Int32Array, digest: Uint8Array): void {
  const block = OUTER_BLOCK;
  block.set(digest);
  compress(state, words, block, 0);
}

const OUTER_BLOCK = new Uint8Array(64);
OUTER_BLOCK[32] = 0x80;
// 96 bytes (the pad block and the inner digest) = 768 bits.
OUTER_BLOCK[62] = 0x03;

function writeWords(state: Int32Array, into: Uint8Array): void {
  for (let i = 0; i < 8; i++) {
    const word = state[i]!;
    into[i * 4] = word >>> 24;
    into[i * 4 + 1] = word >>> 16;
    into[i * 4 + 2] = word >>> 8;
    into[i * 4 + 3] = word;
  }
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

/** The SHA-256 compression function over the 64 bytes at `offset` (FIPS 180-4, 6.2.2). */
function compress(state: Int32Array, w: Int32Array, bytes: Uint8Array, offset: number): void {
  for (let t = 0; t < 16; t++) {
    const at = offset + t * 4;
    w[t] = (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
  }
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15]!;
    const y = w[t - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + ROUND[t]! + w[t]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}
