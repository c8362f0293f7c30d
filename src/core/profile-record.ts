import { CATEGORIES, categoriesOf, categoryBit } from './categories.js';
import { coarsePlace, type CoarsePlace } from './coarse-place.js';
import type { Category } from './categories.js';
import { FieldRoles } from './formats/field-roles.js';
import { flattenRecord } from './formats/flatten-record.js';
import type { FlatFields } from './formats/flatten-record.js';
import { isJsonObject } from './formats/format-spec.js';
import type { FormatSpec, IdentityPaths, JsonObject } from './formats/format-spec.js';
import { isPlausibleAddress } from './identity.js';

/** What one exposed record reveals, without the exposed values other than its identity keys. */
export interface ProfileFields {
  userId: string | null;
  email: string | null;
  organizationIds: string[];
  /** The record's country (ISO alpha-2) and region, kept in clear; see `coarse-place.ts`. */
  country: string | null;
  region: string | null;
  categories: Category[];
  unknownFields: string[];
  /** The record as parsed: the exposed values, to be sealed and never stored in clear. */
  values: unknown;
}

export type ProfileRecordResult =
  { ok: true; record: ProfileFields } | { ok: false; reason: string; field?: string };

/** One field of a record as the reader sees it, for inspecting a dataset. */
export interface FieldDescription {
  name: string;
  category: Category | null;
  /** The value is not empty (for a known field: its category counts as exposed). */
  filled: boolean;
}

export interface RecordReaderOptions {
  format: FormatSpec;
  orgKeys: readonly string[];
  /** Field name (or dotted path, as reported) → category, over the format's own table. */
  mapping?: ReadonlyMap<string, Category>;
}

export interface RecordReader {
  readonly format: FormatSpec;
  read(raw: unknown): ProfileRecordResult;
  describe(raw: unknown): FieldDescription[];
}

/** Place texts seen are remembered up to this many; past it (hostile input) they are worked out anew. */
const MAX_REMEMBERED_PLACES = 10_000;
/** Deeper values are counted as non-empty rather than walked. */
const MAX_EMPTINESS_DEPTH = 8;
const CATEGORY_BITS: ReadonlyMap<Category, number> = new Map(CATEGORIES.map((c) => [c, categoryBit(c)]));
/** Mixpanel and PostHog write `$direct` into referrer fields when there was no referrer. */
const NO_REFERRER = '$direct';
const NOT_AN_OBJECT: ProfileRecordResult = { ok: false, reason: 'not a JSON object' };

/** Reads parsed records of one format into their exposed fields. */
export function createRecordReader(options: RecordReaderOptions): RecordReader {
  return new ProfileRecordReader(options);
}

class ProfileRecordReader implements RecordReader {
  readonly format: FormatSpec;
  private readonly orgKeys: readonly string[];
  private readonly mapping: ReadonlyMap<string, Category>;
  private readonly roles = new Map<IdentityPaths, FieldRoles>();
  /** Reused for every record: only one is read at a time. */
  private readonly fields: FlatFields = { names: [], values: [] };
  /** A dataset names few places, each on many records: normalized once. */
  private readonly places = new Map<string, CoarsePlace>();

  constructor(options: RecordReaderOptions) {
    this.format = options.format;
    this.orgKeys = options.orgKeys;
    this.mapping = options.mapping ?? new Map();
  }

  read(raw: unknown): ProfileRecordResult {
    if (!isJsonObject(raw)) return NOT_AN_OBJECT;
    const identity = this.format.identityFor?.(raw) ?? this.format.identity;
    const roles = this.rolesFor(identity);
    flattenRecord(raw, this.format, this.fields);
    const { names, values } = this.fields;
    let userRank = Infinity;
    let userId: string | null = null;
    let inexactUser: string | undefined;
    let emailRank = Infinity;
    let email: string | null = null;
    let organizationIds: Set<string> | undefined;
    let countryRank = Infinity;
    let countryText: string | undefined;
    let regionRank = Infinity;
    let regionText: string | undefined;
    let inexactOrganization: string | undefined;
    let exposed = 0;
    let unknown: string[] | undefined;
    for (let i = 0; i < names.length; i++) {
      const name = names[i] ?? '';
      const value = values[i];
      const role = roles.of(name);
      if (role.category === null) (unknown ??= []).push(name);
      else if (isExposed(role.category, value)) exposed |= CATEGORY_BITS.get(role.category) ?? 0;
      if (role.userRank !== -1 && role.userRank < userRank) {
        const id = firstId(value);
        if (id === INEXACT || id !== null) {
          userRank = role.userRank;
          userId = id === INEXACT ? null : id;
          inexactUser = id === INEXACT ? name : undefined;
        }
      }
      if (role.emailRank !== -1 && role.emailRank < emailRank && typeof value === 'string') {
        const address = value.trim();
        if (isPlausibleAddress(address)) {
          emailRank = role.emailRank;
          email = address;
        }
      }
      if (role.countryRank !== -1 && role.countryRank < countryRank && isText(value)) {
        countryRank = role.countryRank;
        countryText = value;
      }
      if (role.regionRank !== -1 && role.regionRank < regionRank && isText(value)) {
        regionRank = role.regionRank;
        regionText = value;
      }
      if (role.organization) {
        for (const candidate of asList(value)) {
          if (isInexactNumber(candidate)) inexactOrganization ??= name;
          const id = idText(candidate);
          if (id !== null) (organizationIds ??= new Set()).add(id);
        }
      }
    }
    const field = inexactUser ?? inexactOrganization;
    if (field !== undefined)
      return { ok: false, reason: 'numeric identifier is too large to be read exactly', field };
    // Org keys alone still identify impacted organizations (rule 3), so such a record is kept.
    if (userId === null && email === null && organizationIds === undefined) {
      return { ok: false, reason: noIdentityReason(identity) };
    }
    const place = this.placeOf(countryText, regionText);
    return {
      ok: true,
      record: {
        userId,
        email,
        organizationIds: organizationIds === undefined ? [] : [...organizationIds].sort(),
        country: place.country,
        region: place.region,
        categories: categoriesOf(exposed),
        unknownFields: unknown === undefined ? [] : [...new Set(unknown)].sort(),
        values: raw,
      },
    };
  }

  private placeOf(country: string | undefined, region: string | undefined): CoarsePlace {
    if (country === undefined && region === undefined) return NOWHERE;
    const key = `${country ?? ''}\u0000${region ?? ''}`;
    let place = this.places.get(key);
    if (place === undefined) {
      place = coarsePlace(country, region);
      if (this.places.size < MAX_REMEMBERED_PLACES) this.places.set(key, place);
    }
    return place;
  }

  describe(raw: unknown): FieldDescription[] {
    if (!isJsonObject(raw)) return [];
    const roles = this.rolesFor(this.format.identityFor?.(raw) ?? this.format.identity);
    flattenRecord(raw, this.format, this.fields);
    const { names, values } = this.fields;
    return names.map((name, i) => {
      const category = roles.of(name).category;
      const filled = category === null ? !isEmptyValue(values[i], 0) : isExposed(category, values[i]);
      return { name, category, filled };
    });
  }

  private rolesFor(identity: IdentityPaths): FieldRoles {
    let roles = this.roles.get(identity);
    if (roles === undefined) {
      roles = new FieldRoles(this.format, identity, this.orgKeys, this.mapping);
      this.roles.set(identity, roles);
    }
    return roles;
  }
}

function noIdentityReason(identity: IdentityPaths): string {
  const userIds = identity.userIds.slice(0, 2).join(' or ');
  if (userIds !== '') return `no identity key (${userIds}, email or organization id)`;
  return `no organization id (${identity.organizationIds.slice(0, 2).join(' or ')})`;
}

const NOWHERE: CoarsePlace = { country: null, region: null };

/** A non-empty string: a place field holding anything else says nothing about the place. */
function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

const INEXACT = Symbol('inexact');

/** A user id, or the first usable one of a list of them (PostHog `distinct_ids`). */
function firstId(value: unknown): string | null | typeof INEXACT {
  if (!Array.isArray(value)) return isInexactNumber(value) ? INEXACT : idText(value);
  for (const candidate of value as unknown[]) {
    const id = firstId(candidate);
    if (id !== null) return id;
  }
  return null;
}

function asList(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [value];
}

function idText(value: unknown): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value !== 'string') return null;
  const id = value.trim();
  return id === '' ? null : id;
}

/** JSON numbers beyond 2^53 were rounded by the parser, so they no longer name the same account. */
function isInexactNumber(value: unknown): boolean {
  if (typeof value !== 'number') return false;
  return !Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value));
}

function isExposed(category: Category, value: unknown): boolean {
  if (category === 'referrer' && value === NO_REFERRER) return false;
  return !isEmptyValue(value, 0);
}

function isEmptyValue(value: unknown, depth: number): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (typeof value !== 'object' || depth >= MAX_EMPTINESS_DEPTH) return false;
  const inner = Array.isArray(value) ? (value as unknown[]) : Object.values(value as JsonObject);
  return inner.every((item) => isEmptyValue(item, depth + 1));
}
