import type { Category } from '../categories.js';
import { looseName } from './format-spec.js';
import type { FormatSpec, IdentityPaths } from './format-spec.js';

/** What one field name is in a record: its category and whether it holds an identity key. */
export interface FieldRole {
  category: Category | null;
  /** Rank among the user id paths (lower is preferred), -1 when it is not one. */
  userRank: number;
  /** Rank among the email paths, -1 when it is not one. */
  emailRank: number;
  /** Rank among the format's country paths, -1 when it is not one. */
  countryRank: number;
  /** Rank among the format's region paths, -1 when it is not one. */
  regionRank: number;
  organization: boolean;
}

/** Field names seen are remembered up to this many; past it (hostile input) they are worked out anew. */
const MAX_REMEMBERED = 10_000;

interface CompiledTable {
  exact: ReadonlyMap<string, Category>;
  prefixes: readonly (readonly [string, Category])[];
}

const compiled = new WeakMap<FormatSpec, CompiledTable>();

/**
 * The roles of field names under one format, identity paths, org keys and mapping. Names are
 * classified once and remembered, so a row costs one map lookup per field. Precedence: the
 * mapping, then org keys (identifiers), then the format's exact names, then its prefixes, then,
 * for the generic format, the last segment of a dotted path.
 */
export class FieldRoles {
  private readonly remembered = new Map<string, FieldRole>();
  private readonly table: CompiledTable;
  private readonly mapping: ReadonlyMap<string, Category>;
  private readonly userIds: ReadonlyMap<string, number>;
  private readonly emails: ReadonlyMap<string, number>;
  private readonly countries: ReadonlyMap<string, number>;
  private readonly regions: ReadonlyMap<string, number>;
  private readonly organizations: ReadonlySet<string>;

  constructor(
    private readonly spec: FormatSpec,
    identity: IdentityPaths,
    orgKeys: readonly string[],
    mapping: ReadonlyMap<string, Category>,
  ) {
    this.table = compiledTable(spec);
    this.mapping = spec.looseNames ? new Map([...mapping, ...looseEntries(mapping)]) : mapping;
    this.userIds = ranks(identity.userIds.map((name) => this.keyOf(name)));
    this.emails = ranks(identity.emails.map((name) => this.keyOf(name)));
    this.countries = ranks(spec.places.countries.map((name) => this.keyOf(name)));
    this.regions = ranks(spec.places.regions.map((name) => this.keyOf(name)));
    const groupKeys = identity.groupContainers.flatMap((group) => orgKeys.map((key) => `${group}.${key}`));
    this.organizations = new Set(
      [...identity.organizationIds, ...orgKeys, ...groupKeys].map((name) => this.keyOf(name)),
    );
  }

  of(name: string): FieldRole {
    const known = this.remembered.get(name);
    if (known !== undefined) return known;
    const key = this.keyOf(name);
    const organization = this.organizations.has(key);
    const role: FieldRole = {
      category: this.categoryOf(name, key, organization),
      userRank: this.userIds.get(key) ?? -1,
      emailRank: this.emails.get(key) ?? -1,
      countryRank: this.countries.get(key) ?? -1,
      regionRank: this.regions.get(key) ?? -1,
      organization,
    };
    if (this.remembered.size < MAX_REMEMBERED) this.remembered.set(name, role);
    return role;
  }

  private keyOf(name: string): string {
    return this.spec.looseNames ? looseName(name) : name;
  }

  private categoryOf(name: string, key: string, organization: boolean): Category | null {
    const mapped = this.mapping.get(name) ?? this.mapping.get(key);
    if (mapped !== undefined) return mapped;
    if (organization) return 'identifier';
    const own = lookUp(this.table, key);
    if (own !== null || !this.spec.leafFallback) return own;
    const dot = key.lastIndexOf('.');
    return dot === -1 ? null : lookUp(this.table, key.slice(dot + 1));
  }
}

function lookUp(table: CompiledTable, key: string): Category | null {
  const exact = table.exact.get(key);
  if (exact !== undefined) return exact;
  return table.prefixes.find(([prefix]) => key.startsWith(prefix))?.[1] ?? null;
}

function compiledTable(spec: FormatSpec): CompiledTable {
  let table = compiled.get(spec);
  if (table === undefined) {
    const key = spec.looseNames ? looseName : (name: string) => name;
    const exact = new Map<string, Category>();
    for (const [category, names] of spec.fields.names) {
      for (const name of names) if (!exact.has(key(name))) exact.set(key(name), category);
    }
    const prefixes = spec.fields.prefixes.map(([prefix, category]) => [key(prefix), category] as const);
    table = { exact, prefixes };
    compiled.set(spec, table);
  }
  return table;
}

function ranks(keys: readonly string[]): Map<string, number> {
  const byKey = new Map<string, number>();
  keys.forEach((key, rank) => {
    if (!byKey.has(key)) byKey.set(key, rank);
  });
  return byKey;
}

function looseEntries(mapping: ReadonlyMap<string, Category>): [string, Category][] {
  return [...mapping].map(([name, category]) => [looseName(name), category]);
}
