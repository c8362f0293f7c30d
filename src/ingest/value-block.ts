/**
 * Exposed values are sealed a block of records at a time (one AES-GCM seal per record cost more
 * than the rest of its import). A block's plaintext is a JSON array of `[ordinal, record]` pairs,
 * each record the JSON text it was read as; its `exposed_value` row is keyed by the first ordinal
 * and counts its records, so a record's values are in the row of its dataset with the greatest
 * ordinal not above its own.
 */
export const VALUE_BLOCK_RECORDS = 256;

export interface ValueBlock {
  ordinal: number;
  count: number;
  /** The builder's own memory: seal it before the next `add`. */
  plaintext: Uint8Array;
}

const INITIAL_BYTES = 256 * 1024;

/** Writes a block's plaintext straight from the records' bytes, into memory reused block after block. */
export class ValueBlockBuilder {
  private first = 0;
  private records = 0;
  private bytes = Buffer.allocUnsafe(INITIAL_BYTES);
  private used = 0;

  get count(): number {
    return this.records;
  }

  /** `json` is one record's JSON text, as UTF-8 bytes or a string. */
  add(ordinal: number, json: Uint8Array | string): void {
    const size = typeof json === 'string' ? Buffer.byteLength(json) : json.length;
    this.reserve(size + 32);
    if (this.records === 0) this.first = ordinal;
    this.used += this.bytes.write(`${this.records === 0 ? '[' : ','}[${ordinal},`, this.used, 'latin1');
    if (typeof json === 'string') this.used += this.bytes.write(json, this.used, 'utf8');
    else {
      this.bytes.set(json, this.used);
      this.used += json.length;
    }
    this.bytes[this.used++] = CLOSE_BRACKET;
    this.records += 1;
  }

  /** The block so far, and starts a new one; undefined when empty. */
  take(): ValueBlock | undefined {
    if (this.records === 0) return undefined;
    this.bytes[this.used++] = CLOSE_BRACKET;
    const block = { ordinal: this.first, count: this.records, plaintext: this.bytes.subarray(0, this.used) };
    this.records = 0;
    this.used = 0;
    return block;
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + bytes));
    this.bytes.copy(grown, 0, 0, this.used);
    this.bytes = grown;
  }
}

const CLOSE_BRACKET = 0x5d;

/**
 * The records of an opened block by ordinal. A row written before blocks (migration 010) holds
 * one record, a JSON object, at the row's own ordinal.
 */
export function readValueBlock(ordinal: number, plaintext: string): Map<number, unknown> {
  const parsed = JSON.parse(plaintext) as unknown;
  if (!Array.isArray(parsed)) return new Map([[ordinal, parsed]]);
  return new Map(parsed as [number, unknown][]);
}
