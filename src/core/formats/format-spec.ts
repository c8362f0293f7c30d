import type { Category } from '../categories.js';

export const FORMAT_NAMES = [
  'mixpanel-people',
  'mixpanel-events',
  'mixpanel-groups',
  'amplitude',
  'segment',
  'posthog',
  'ga4',
  'hubspot',
  'salesforce',
  'generic',
] as const;

export type FormatName = (typeof FORMAT_NAMES)[number];

export type JsonObject = Readonly<Record<string, unknown>>;

/** Field → category. Names are the fields as reported: dotted paths for nested objects. */
export interface FieldTable {
  readonly names: readonly (readonly [Category, readonly string[]])[];
  /** First match wins, so a longer prefix goes before a shorter one it starts with. */
  readonly prefixes: readonly (readonly [string, Category])[];
}

/** Where a record's identity keys are, as field names (dotted paths as reported). */
export interface IdentityPaths {
  /** In order of preference: the first non-empty one is the record's user id. */
  readonly userIds: readonly string[];
  /** In order of preference: the first plausible address is the record's email. */
  readonly emails: readonly string[];
  /** Every id found in any of these marks an organization impacted. */
  readonly organizationIds: readonly string[];
  /** Objects keyed by group type: their members named by a configured org key hold organization ids. */
  readonly groupContainers: readonly string[];
}

/** Where a record says which country and region its person is in, each in order of preference. */
export interface PlacePaths {
  readonly countries: readonly string[];
  readonly regions: readonly string[];
}

/** One way a record can look like the format; a sample's score is `weight` × the share that do. */
export interface Signature {
  readonly weight: number;
  readonly test: (record: JsonObject) => boolean;
}

export interface FormatSpec {
  readonly name: FormatName;
  readonly signatures: readonly Signature[];
  /** Top-level object fields whose members read as top-level fields (Mixpanel `$properties`). */
  readonly containers: readonly string[];
  /** Top-level lists of `{key, value}` objects read as `<list>.<key>` fields (GA4 `event_params`). */
  readonly keyValueLists: readonly string[];
  /** Names match ignoring case, spaces and punctuation, so CSV column labels match API names. */
  readonly looseNames: boolean;
  /** An unknown nested field takes the category of its last segment (`user.email` → email). */
  readonly leafFallback: boolean;
  readonly identity: IdentityPaths;
  /** Records whose identity keys sit elsewhere, such as a Segment group call; undefined for the usual. */
  readonly identityFor?: (record: JsonObject) => IdentityPaths | undefined;
  /** Location fields kept in clear as a coarse country and region (obligations count by them). */
  readonly places: PlacePaths;
  readonly fields: FieldTable;
}

/** The optional parts of a spec default to none. */
export function defineFormat(
  spec: Pick<FormatSpec, 'name' | 'signatures' | 'identity' | 'fields'> & Partial<FormatSpec>,
): FormatSpec {
  return {
    containers: [],
    keyValueLists: [],
    looseNames: false,
    leafFallback: false,
    places: { countries: [], regions: [] },
    ...spec,
  };
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function hasAny(record: JsonObject, keys: readonly string[]): boolean {
  return keys.some((key) => Object.hasOwn(record, key));
}

export function hasKeyStartingWith(record: JsonObject, prefixes: readonly string[]): boolean {
  return Object.keys(record).some((key) => prefixes.some((prefix) => key.startsWith(prefix)));
}

/** A CSV column label or API name reduced to what both spell alike: `First Name` → `firstname`. */
export function looseName(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}.]/gu, '');
}

export function looseKeys(record: JsonObject): Set<string> {
  return new Set(Object.keys(record).map(looseName));
}
