import { createCipheriv } from 'node:crypto';

/** Values of up to this many 16-byte blocks are sealed here; longer ones by the caller's own seal. */
export const MANY_MAX_BLOCKS = 8;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Per power of H: 32 nibble positions × 16 nibble values × 4 words. */
const TABLE_WORDS = 32 * 16 * 4;

/**
 * AES-256-GCM (NIST SP 800-38D) of many short values at once, each under its own 96-bit nonce,
 * each output exactly what `createCipheriv('aes-256-gcm', key, nonce)` gives for it alone. One
 * AES-ECB call makes the counter blocks' key stream for all of them (OpenSSL's AES, in constant
 * time); GHASH runs here. A cipher object per value cost more than the rest of a record's import.
 *
 * GHASH is written as Σ Cᵢ·H^(n+2−i) + L·H, each product a XOR of precomputed multiples of a power
 * of H picked by the nibbles of the ciphertext or the lengths, which are public: no table lookup
 * or branch depends on the key.
 */
export function createAesGcmMany(key: Uint8Array): {
  /**
   * `nonce(12) ‖ tag(16) ‖ ciphertext` of each plaintext (UTF-8 bytes at `starts[i]`..`starts[i+1]`
   * of `plaintext`), written back to back into the returned buffer in the same order.
   */
  seal(plaintext: Uint8Array, starts: Int32Array, count: number, nonces: Uint8Array): Buffer;
} {
  const ecb = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  const h = Buffer.from(ecb.update(Buffer.alloc(16)));
  const tables = powerTables(words(h, 0), MANY_MAX_BLOCKS + 1);
  return {
    seal(plaintext, starts, count, nonces) {
      let counterBlocks = 0;
      for (let i = 0; i < count; i++) counterBlocks += 1 + blocksOf(starts[i + 1]! - starts[i]!);
      const counters = Buffer.allocUnsafe(counterBlocks * 16);
      let at = 0;
      for (let i = 0; i < count; i++) {
        const blocks = 1 + blocksOf(starts[i + 1]! - starts[i]!);
        for (let counter = 1; counter <= blocks; counter++) {
          counters.set(nonces.subarray(i * NONCE_BYTES, (i + 1) * NONCE_BYTES), at);
          counters.writeUInt32BE(counter, at + NONCE_BYTES);
          at += 16;
        }
      }
      const stream = ecb.update(counters);
      const out = Buffer.allocUnsafe(count * (NONCE_BYTES + TAG_BYTES) + starts[count]! - starts[0]!);
      let written = 0;
      let streamAt = 0;
      for (let i = 0; i < count; i++) {
        const start = starts[i]!;
        const length = starts[i + 1]! - start;
        const blocks = blocksOf(length);
        out.set(nonces.subarray(i * NONCE_BYTES, (i + 1) * NONCE_BYTES), written);
        const tagAt = written + NONCE_BYTES;
        const body = tagAt + TAG_BYTES;
        const bodyStream = streamAt + 16;
        for (let b = 0; b < length; b++) out[body + b] = plaintext[start + b]! ^ stream[bodyStream + b]!;
        let z0 = 0;
        let z1 = 0;
        let z2 = 0;
        let z3 = 0;
        for (let block = 0; block < blocks; block++) {
          const power = blocks + 1 - block;
          let t = (power - 1) * TABLE_WORDS;
          const from = body + block * 16;
          const bytes = Math.min(16, length - block * 16);
          for (let q = 0; q < bytes; q++, t += 128) {
            const byte = out[from + q]!;
            const high = t + ((byte >>> 4) << 2);
            const low = t + 64 + ((byte & 15) << 2);
            z0 ^= tables[high]! ^ tables[low]!;
            z1 ^= tables[high + 1]! ^ tables[low + 1]!;
            z2 ^= tables[high + 2]! ^ tables[low + 2]!;
            z3 ^= tables[high + 3]! ^ tables[low + 3]!;
          }
        }
        // The lengths block: 64 bits of associated data (none), 64 bits of ciphertext, times H.
        const bits = length * 8;
        for (let q = 12, t = 12 * 128; q < 16; q++, t += 128) {
          const byte = (bits >>> ((15 - q) * 8)) & 0xff;
          const high = t + ((byte >>> 4) << 2);
          const low = t + 64 + ((byte & 15) << 2);
          z0 ^= tables[high]! ^ tables[low]!;
          z1 ^= tables[high + 1]! ^ tables[low + 1]!;
          z2 ^= tables[high + 2]! ^ tables[low + 2]!;
          z3 ^= tables[high + 3]! ^ tables[low + 3]!;
        }
        out.writeInt32BE(z0 ^ stream.readInt32BE(streamAt), tagAt);
        out.writeInt32BE(z1 ^ stream.readInt32BE(streamAt + 4), tagAt + 4);
        out.writeInt32BE(z2 ^ stream.readInt32BE(streamAt + 8), tagAt + 8);
        out.writeInt32BE(z3 ^ stream.readInt32BE(streamAt + 12), tagAt + 12);
        written = body + length;
        streamAt += (1 + blocks) * 16;
      }
      return out;
    },
  };
}

function blocksOf(bytes: number): number {
  return (bytes + 15) >>> 4;
}

function words(bytes: Uint8Array, at: number): Int32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, 16);
  return Int32Array.from([0, 4, 8, 12], (offset) => view.getInt32(offset));
}

/**
 * For H¹…H^powers: the product of each nibble value at each nibble position with that power, so
 * a block times the power is the XOR of 32 entries. GCM numbers bits from the first byte's most
 * significant bit; multiplying by x shifts right and reduces by x¹²⁸ + x⁷ + x² + x + 1.
 */
function powerTables(h: Int32Array, powers: number): Int32Array {
  const tables = new Int32Array(powers * TABLE_WORDS);
  let power: Int32Array = Int32Array.from(h);
  for (let p = 0; p < powers; p++) {
    // v[i] = power · x^i: the product of the block with only bit i set.
    const v = new Int32Array(128 * 4);
    v.set(power, 0);
    for (let i = 1; i < 128; i++) {
      const [a, b, c, d] = [v[(i - 1) * 4]!, v[(i - 1) * 4 + 1]!, v[(i - 1) * 4 + 2]!, v[(i - 1) * 4 + 3]!];
      v[i * 4] = (a >>> 1) ^ (-(d & 1) & (0xe1000000 | 0));
      v[i * 4 + 1] = (b >>> 1) | (a << 31);
      v[i * 4 + 2] = (c >>> 1) | (b << 31);
      v[i * 4 + 3] = (d >>> 1) | (c << 31);
    }
    for (let position = 0; position < 32; position++) {
      for (let value = 0; value < 16; value++) {
        const at = p * TABLE_WORDS + (position * 16 + value) * 4;
        for (let bit = 0; bit < 4; bit++) {
          const mask = -((value >>> (3 - bit)) & 1);
          const from = (position * 4 + bit) * 4;
          for (let w = 0; w < 4; w++) tables[at + w]! ^= v[from + w]! & mask;
        }
      }
    }
    power = multiply(power, h);
  }
  return tables;
}

/** X·Y in GF(2¹²⁸), bit by bit (SP 800-38D, algorithm 1): only for the tables, once per key. */
function multiply(x: Int32Array, y: Int32Array): Int32Array {
  const z: Int32Array = new Int32Array(4);
  const v = Int32Array.from(y);
  for (let i = 0; i < 128; i++) {
    const mask = -((x[i >>> 5]! >>> (31 - (i & 31))) & 1);
    for (let w = 0; w < 4; w++) z[w]! ^= v[w]! & mask;
    const carry = v[3]! & 1;
    v[3] = (v[3]! >>> 1) | (v[2]! << 31);
    v[2] = (v[2]! >>> 1) | (v[1]! << 31);
    v[1] = (v[1]! >>> 1) | (v[0]! << 31);
    v[0] = (v[0]! >>> 1) ^ (-carry & (0xe1000000 | 0));
  }
  return z;
}
