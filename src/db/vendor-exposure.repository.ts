import { sql, type Kysely } from 'kysely';
import type { PopulationFilter } from '../core/population-filter.js';
import type { DialectCapabilities } from './database.js';
import { ADMIN_ROLES } from './impact.repository.js';
import { populationCondition } from './population-sql.js';
import type { Database } from './schema.js';

/** Which attributes of an account say where it lives. */
export interface PlaceKeys {
  country: string;
  /** The first present one wins: directories call it region or state. */
  region: readonly string[];
}

/** Counts over the accounts a vendor receives data of, computed by the database. */
export class VendorExposureRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly capabilities: DialectCapabilities,
  ) {}

  /** Memberships of accounts in the population, joined so each account is read by its key. */
  private populationMemberships(filter: PopulationFilter) {
    return this.db
      .selectFrom('membership as pm')
      .innerJoin('account as pa', 'pa.id', 'pm.account_id')
      .where(populationCondition(filter, this.capabilities, 'pa'));
  }

  /**
   * People in the population, organizations with a member among them, and the distinct addresses
   * of those organizations' active admins: who would hear of a breach of this vendor. The admins
   * come from the organizations' memberships: an IN-list or EXISTS made SQLite walk every account.
   */
  async counts(
    filter: PopulationFilter,
  ): Promise<{ people: number; organizations: number; adminRecipients: number }> {
    const row = await this.db
      .selectNoFrom((eb) => [
        eb
          .selectFrom('account as a')
          .where(populationCondition(filter, this.capabilities, 'a'))
          .select(eb.fn.countAll<number>().as('n'))
          .as('people'),
        this.populationMemberships(filter)
          .select((inner) => inner.fn.count<number>('pm.organization_id').distinct().as('n'))
          .as('organizations'),
        eb
          .selectFrom(this.populationMemberships(filter).select('pm.organization_id').distinct().as('o'))
          .innerJoin('membership as m', 'm.organization_id', 'o.organization_id')
          .innerJoin('account as admin', 'admin.id', 'm.account_id')
          .where('m.role', 'in', ADMIN_ROLES)
          .where('admin.status', '=', 'active')
          .where('admin.email_key', 'is not', null)
          .select((inner) => inner.fn.count<number>('admin.email_key').distinct().as('n'))
          .as('adminRecipients'),
      ])
      .executeTakeFirstOrThrow();
    return {
      people: Number(row.people ?? 0),
      organizations: Number(row.organizations ?? 0),
      adminRecipients: Number(row.adminRecipients ?? 0),
    };
  }

  /** People of the population per (country, region) as their attributes say; null where absent or empty. */
  places(filter: PopulationFilter, keys: PlaceKeys) {
    // A CSV directory stores an empty cell as "", which must not hide a later key (region, then state).
    const json = (key: string) =>
      sql<string | null>`nullif(${this.capabilities.jsonText('a.attributes', key)}, '')`;
    const region =
      keys.region.length === 0
        ? sql<string | null>`null`
        : sql<string | null>`coalesce(${sql.join(keys.region.map(json))}, null)`;
    return this.db
      .selectFrom('account as a')
      .where(populationCondition(filter, this.capabilities, 'a'))
      .select([
        json(keys.country).as('country'),
        region.as('region'),
        (eb) => eb.fn.countAll<number>().as('people'),
      ])
      .groupBy([sql`1`, sql`2`])
      .execute();
  }
}
