import { CATEGORIES, categoriesOf, categoryBit } from './categories.js';
import type { Category } from './categories.js';
import { isPlausibleAddress } from './identity.js';
import { mixpanelFieldCategory } from './mixpanel-fields.js';

/** What one exposed record reveals, without the exposed values other than its identity keys. */
export interface ProfileFields {
  userId: string | null;
  email: string | null;
  organizationIds: string[];
  categories: Category[];
  unknownFields: string[];
  /** The record as parsed: the exposed values, to be sealed and never stored in clear. */
  values: unknown;
}

export type ProfileRecordResult =
  { ok: true; record: ProfileFields } | { ok: false; reason: string; field?: string };

type JsonObject = Readonly<Record<string, unknown>>;

/** A record's fields in order, top level first; parallel arrays because this runs once per row. */
interface Fields {
  names: string[];
  values: unknown[];
}

const USER_ID_KEYS = ['$distinct_id', 'distinct_id', '$user_id', 'user_id', 'userId'];
const EMAIL_KEYS = ['$email', 'email'];
/** Engage pages nest properties under `$properties`, data pipelines under `properties`. */
const PROPERTY_CONTAINERS = ['$properties', 'properties'];
/** Deeper values are counted as non-empty rather than walked. */
const MAX_EMPTINESS_DEPTH = 8;
const CATEGORY_BITS: ReadonlyMap<Category, number> = new Map(CATEGORIES.map((c) => [c, categoryBit(c)]));
/** Mixpanel writes `$direct` into referrer fields when there was no referrer. */
const NO_REFERRER = '$direct';
const GROUPS = '$groups';

/** Reads one parsed Mixpanel profile (engage, pipelines or flattened layout) into its exposed fields. */
export function toExposedRecord(raw: unknown, orgKeys: readonly string[]): ProfileRecordResult {
  if (!isJsonObject(raw)) return { ok: false, reason: 'not a JSON object' };
  const fields = fieldsOf(raw);
  const userId = firstUserId(fields);
  if (userId.kind === 'inexact') return inexactNumber(userId.field);
  const organizationIds = organizationIdsOf(fields, orgKeys);
  if (organizationIds.kind === 'inexact') return inexactNumber(organizationIds.field);
  const email = plausibleEmail(fields);
  // Org keys alone still identify impacted organizations (rule 3), so such a record is kept.
  if (userId.value === null && email === null && organizationIds.value.length === 0) {
    return { ok: false, reason: 'no identity key ($distinct_id, email or organization id)' };
  }
  const { categories, unknownFields } = classify(fields, orgKeys);
  return {
    ok: true,
    record: {
      userId: userId.value,
      email,
      organizationIds: organizationIds.value,
      categories,
      unknownFields,
      values: raw,
    },
  };
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldsOf(raw: JsonObject): Fields {
  const fields: Fields = { names: [], values: [] };
  const container = PROPERTY_CONTAINERS.find((key) => Object.hasOwn(raw, key) && isJsonObject(raw[key]));
  addFields(fields, raw, container);
  if (container !== undefined) addFields(fields, raw[container] as JsonObject, undefined);
  return fields;
}

function addFields(fields: Fields, object: JsonObject, container: string | undefined): void {
  for (const name of Object.keys(object)) {
    if (name === container) continue;
    fields.names.push(name);
    fields.values.push(object[name]);
  }
}

type IdLookup<T> = { kind: 'found'; value: T } | { kind: 'inexact'; field: string };

function firstUserId({ names, values }: Fields): IdLookup<string | null> {
  for (const key of USER_ID_KEYS) {
    for (let i = names.indexOf(key); i !== -1; i = names.indexOf(key, i + 1)) {
      const value = values[i];
      if (isInexactNumber(value)) return { kind: 'inexact', field: key };
      const id = idText(value);
      if (id !== null) return { kind: 'found', value: id };
    }
  }
  return { kind: 'found', value: null };
}

/**
 * An org key names a property holding an id or a list of ids, at the top level or as a group key
 * inside `$groups`. Other group types (projects, teams) are not organizations: their ids must not
 * reach another company's admins.
 */
function organizationIdsOf({ names, values }: Fields, orgKeys: readonly string[]): IdLookup<string[]> {
  const ids = new Set<string>();
  const sources: [string, unknown][] = [];
  for (let i = 0; i < names.length; i++) {
    const name = names[i] ?? '';
    const value = values[i];
    if (orgKeys.includes(name)) sources.push([name, value]);
    else if (name === GROUPS && isJsonObject(value)) {
      for (const groupKey of Object.keys(value)) {
        if (orgKeys.includes(groupKey)) sources.push([`${GROUPS}.${groupKey}`, value[groupKey]]);
      }
    }
  }
  for (const [field, value] of sources) {
    for (const candidate of asList(value)) {
      if (isInexactNumber(candidate)) return { kind: 'inexact', field };
      const id = idText(candidate);
      if (id !== null) ids.add(id);
    }
  }
  return { kind: 'found', value: [...ids].sort() };
}

function asList(value: unknown): unknown[] {
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

function inexactNumber(field: string): ProfileRecordResult {
  return { ok: false, reason: 'numeric identifier is too large to be read exactly', field };
}

function plausibleEmail({ names, values }: Fields): string | null {
  for (const key of EMAIL_KEYS) {
    for (let i = names.indexOf(key); i !== -1; i = names.indexOf(key, i + 1)) {
      const value = values[i];
      if (typeof value !== 'string') continue;
      const email = value.trim();
      if (isPlausibleAddress(email)) return email;
    }
  }
  return null;
}

function classify(
  { names, values }: Fields,
  orgKeys: readonly string[],
): Pick<ProfileFields, 'categories' | 'unknownFields'> {
  let exposed = 0;
  const unknown: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const name = names[i] ?? '';
    const category = mixpanelFieldCategory(name, orgKeys);
    if (category === null) unknown.push(name);
    else if (isExposed(category, values[i])) exposed |= CATEGORY_BITS.get(category) ?? 0;
  }
  return { categories: categoriesOf(exposed), unknownFields: [...new Set(unknown)].sort() };
}

function isExposed(category: Category, value: unknown): boolean {
  if (category === 'referrer' && value === NO_REFERRER) return false;
  return !isEmptyValue(value, 0);
}

function isEmptyValue(value: unknown, depth: number): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (typeof value !== 'object' || depth >= MAX_EMPTINESS_DEPTH) return false;
  const inner = Array.isArray(value) ? (value as unknown[]) : Object.values(value);
  return inner.every((item) => isEmptyValue(item, depth + 1));
}
