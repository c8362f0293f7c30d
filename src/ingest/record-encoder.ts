import type { SecretBox } from '../adapters/secret-box.js';
import { maskOf } from '../core/categories.js';
import { printableName } from '../core/escape.js';
import { normalizeEmail } from '../core/identity.js';
import type { ProfileFields } from '../core/profile-record.js';
import { VALUE_BLOCK_RECORDS, ValueBlockBuilder } from './value-block.js';

/**
 * Rows ready for the database, a column per array, as a worker thread hands them over: identity
 * keys already keyed hashes, the address and the values already sealed, nothing in clear but
 * categories and the coarse place.
 */
export interface EncodedRows {
  read: number;
  valid: number;
  quarantined: number;
  /** Unknown field names (printable) with the records that had them. */
  unknown: [string, number][];
  /** The first few quarantined rows, for the import's summary. */
  firstProblems: { line: number; reason: string }[];
  records: {
    ordinal: number[];
    line: number[];
    userKey: (string | null)[];
    emailKey: (string | null)[];
    emailSealed: (string | null)[];
    mask: number[];
    country: (string | null)[];
    region: (string | null)[];
  };
  organizations: { ordinal: number[]; key: string[] };
  /** Each block's sealed text as ASCII bytes in a buffer of its own, moved to the importing thread. */
  values: { ordinal: number[]; count: number[]; sealed: Uint8Array[] };
  quarantine: {
    ordinal: number[];
    line: number[];
    offset: number[];
    source: (string | null)[];
    reason: string[];
    field: (string | null)[];
  };
}

const FIRST_PROBLEMS = 5;
/**
 * Many records may share a few organizations: their keyed hashes are remembered, up to this many
 * ids. Kept small: a hash costs about a microsecond, and 100,000 remembered cost a thread ~20 MB.
 */
const ORGANIZATION_KEYS_CACHED = 4096;

/** Turns read rows into `EncodedRows`, one batch after another, on whichever thread it runs. */
export class RecordEncoder {
  private rows = emptyRows();
  private unknown = new Map<string, number>();
  /** The batch's addresses, sealed together at `take` (`SecretBox.sealEach`), and their rows. */
  private addresses: string[] = [];
  private addressRows: number[] = [];
  private readonly block = new ValueBlockBuilder();
  private readonly organizationKey: (id: string) => string;

  constructor(private readonly box: SecretBox) {
    this.organizationKey = memoized((id) => box.hash(id), ORGANIZATION_KEYS_CACHED);
  }

  /** `json` is the record's JSON text (UTF-8 bytes or a string), sealed as its values. */
  valid(ordinal: number, line: number, fields: ProfileFields, json: Uint8Array | string): void {
    const { rows, box } = this;
    rows.read += 1;
    rows.valid += 1;
    for (const field of fields.unknownFields) {
      const name = printableName(field);
      this.unknown.set(name, (this.unknown.get(name) ?? 0) + 1);
    }
    const { records } = rows;
    records.ordinal.push(ordinal);
    records.line.push(line);
    records.userKey.push(fields.userId === null ? null : box.hash(fields.userId));
    records.emailKey.push(fields.email === null ? null : box.hash(normalizeEmail(fields.email)));
    if (fields.email !== null) {
      this.addressRows.push(records.emailSealed.length);
      this.addresses.push(fields.email);
    }
    records.emailSealed.push(null);
    records.mask.push(maskOf(fields.categories));
    records.country.push(fields.country);
    records.region.push(fields.region);
    for (const id of fields.organizationIds) {
      rows.organizations.ordinal.push(ordinal);
      rows.organizations.key.push(this.organizationKey(id));
    }
    this.block.add(ordinal, json);
    if (this.block.count >= VALUE_BLOCK_RECORDS) this.sealBlock();
  }

  quarantined(
    ordinal: number,
    line: number,
    offset: number,
    source: string | undefined,
    reason: string,
    field: string | undefined,
  ): void {
    const { rows } = this;
    rows.read += 1;
    rows.quarantined += 1;
    if (rows.firstProblems.length < FIRST_PROBLEMS) rows.firstProblems.push({ line, reason });
    const { quarantine } = rows;
    quarantine.ordinal.push(ordinal);
    quarantine.line.push(line);
    quarantine.offset.push(offset);
    quarantine.source.push(source ?? null);
    quarantine.reason.push(reason);
    quarantine.field.push(field ?? null);
  }

  /** Everything encoded since the last take, the values block sealed. */
  take(): EncodedRows {
    this.sealBlock();
    const rows = this.rows;
    const sealed = this.box.sealEach(this.addresses);
    for (let i = 0; i < sealed.length; i++) rows.records.emailSealed[this.addressRows[i]!] = sealed[i]!;
    this.addresses = [];
    this.addressRows = [];
    rows.unknown = [...this.unknown];
    this.rows = emptyRows();
    this.unknown = new Map();
    return rows;
  }

  private sealBlock(): void {
    const block = this.block.take();
    if (block === undefined) return;
    const { values } = this.rows;
    values.ordinal.push(block.ordinal);
    values.count.push(block.count);
    values.sealed.push(this.box.sealText(block.plaintext));
  }
}

function emptyRows(): EncodedRows {
  return {
    read: 0,
    valid: 0,
    quarantined: 0,
    unknown: [],
    firstProblems: [],
    records: {
      ordinal: [],
      line: [],
      userKey: [],
      emailKey: [],
      emailSealed: [],
      mask: [],
      country: [],
      region: [],
    },
    organizations: { ordinal: [], key: [] },
    values: { ordinal: [], count: [], sealed: [] },
    quarantine: { ordinal: [], line: [], offset: [], source: [], reason: [], field: [] },
  };
}

/** Remembers up to `limit` results, then starts over: bounded memory whatever the file. */
function memoized(compute: (input: string) => string, limit: number): (input: string) => string {
  let cache = new Map<string, string>();
  return (input) => {
    let output = cache.get(input);
    if (output === undefined) {
      if (cache.size >= limit) cache = new Map();
      output = compute(input);
      cache.set(input, output);
    }
    return output;
  };
}
