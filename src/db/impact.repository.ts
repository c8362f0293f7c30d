import { sql, type Kysely } from 'kysely';
import { categoryCounts } from './category-sql.js';
import type { Database } from './schema.js';

export const ADMIN_ROLES = ['owner', 'admin'] as const;

/** Read-side queries over the people and organizations that MatchService materialized. */
export class ImpactRepository {
  constructor(private readonly db: Kysely<Database>) {}

  peopleByKind(incidentId: string) {
    return this.db
      .selectFrom('person')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .where('incident_id', '=', incidentId)
      .groupBy('kind')
      .execute();
  }

  categoryCounts(incidentId: string) {
    return this.db
      .selectFrom('person')
      .select(categoryCounts('category_mask'))
      .where('incident_id', '=', incidentId)
      .executeTakeFirstOrThrow();
  }

  private impactedOrganizationIds(incidentId: string) {
    return this.db
      .selectFrom('person_organization as po')
      .innerJoin('organization as o', 'o.id', 'po.organization_id')
      .select('po.organization_id')
      .distinct()
      .where('po.incident_id', '=', incidentId);
  }

  private adminAddresses(incidentId: string) {
    return this.db
      .selectFrom('membership as m')
      .innerJoin('account as a', 'a.id', 'm.account_id')
      .innerJoin('organization as o', 'o.id', 'm.organization_id')
      .where('m.organization_id', 'in', this.impactedOrganizationIds(incidentId))
      .where('m.role', 'in', ADMIN_ROLES)
      // Only active admins: one who left or was locked out must not receive other people's data.
      .where('a.status', '=', 'active')
      .where('a.email_norm', 'is not', null);
  }

  async impactedOrganizationCount(incidentId: string): Promise<number> {
    const row = await this.db
      .selectFrom(this.impactedOrganizationIds(incidentId).as('impacted'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async adminRecipientCount(incidentId: string): Promise<number> {
    const row = await this.adminAddresses(incidentId)
      .select((eb) => eb.fn.count<number>('a.email_norm').distinct().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  private recipients(incidentId: string) {
    return this.db
      .selectFrom('person')
      .select(['address_norm', 'address'])
      .where('incident_id', '=', incidentId)
      .where('address_norm', 'is not', null)
      .unionAll(
        this.adminAddresses(incidentId).select(['a.email_norm as address_norm', 'a.email as address']),
      );
  }

  async recipientCount(incidentId: string): Promise<number> {
    const row = await this.db
      .selectFrom(this.recipients(incidentId).as('r'))
      .select((eb) => eb.fn.count<number>('r.address_norm').distinct().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Distinct recipient addresses after `after`, in address order (keyset pages). */
  recipientPage(incidentId: string, after: string, limit: number) {
    return this.db
      .selectFrom(this.recipients(incidentId).as('r'))
      .select([
        sql<string>`r.address_norm`.as('addressNorm'),
        (eb) => eb.fn.min<string>('r.address').as('address'),
      ])
      .where('r.address_norm', '>', after)
      .groupBy('r.address_norm')
      .orderBy('r.address_norm')
      .limit(limit)
      .execute();
  }

  findRecipient(incidentId: string, addressNorm: string) {
    return this.db
      .selectFrom(this.recipients(incidentId).as('r'))
      .select([
        sql<string>`r.address_norm`.as('addressNorm'),
        (eb) => eb.fn.min<string>('r.address').as('address'),
      ])
      .where('r.address_norm', '=', addressNorm)
      .groupBy('r.address_norm')
      .executeTakeFirst();
  }

  peopleAt(incidentId: string, addressNorms: readonly string[]) {
    return this.db
      .selectFrom('person as p')
      .leftJoin('account as a', 'a.id', 'p.account_id')
      .select(['p.address_norm', 'p.category_mask', 'a.name', 'a.locale'])
      .where('p.incident_id', '=', incidentId)
      .where('p.address_norm', 'in', addressNorms)
      .execute();
  }

  /** One row per (admin address, organization), even when several accounts share the address. */
  administeredOrganizations(incidentId: string, addressNorms: readonly string[]) {
    return this.adminAddresses(incidentId)
      .select((eb) => [
        'a.email_norm as addressNorm',
        eb.fn.min('a.name').as('adminName'),
        'o.id',
        'o.name',
      ])
      .where('a.email_norm', 'in', addressNorms)
      .groupBy(['a.email_norm', 'o.id', 'o.name'])
      .orderBy('o.name')
      .execute();
  }

  /** Impacted organizations with at least one active admin who has an address. */
  async organizationsWithAdminCount(incidentId: string): Promise<number> {
    const row = await this.adminAddresses(incidentId)
      .select((eb) => eb.fn.count<number>('m.organization_id').distinct().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  organizationMembers(incidentId: string, organizationIds: readonly string[]) {
    return this.db
      .selectFrom('person_organization as po')
      .innerJoin('person as p', (join) =>
        join.onRef('p.incident_id', '=', 'po.incident_id').onRef('p.person_key', '=', 'po.person_key'),
      )
      .select(['po.organization_id', 'p.person_key', 'p.address', 'p.account_id', 'p.category_mask'])
      .where('po.incident_id', '=', incidentId)
      .where('po.organization_id', 'in', organizationIds)
      .orderBy('po.organization_id')
      .orderBy('p.person_key')
      .execute();
  }

  peoplePage(incidentId: string, after: string, limit: number) {
    return this.db
      .selectFrom('person')
      .select(['person_key', 'kind', 'account_id', 'address', 'category_mask'])
      .where('incident_id', '=', incidentId)
      .where('person_key', '>', after)
      .orderBy('person_key')
      .limit(limit)
      .execute();
  }

  organizationsOf(incidentId: string, personKeys: readonly string[]) {
    return this.db
      .selectFrom('person_organization')
      .select(['person_key', 'organization_id'])
      .where('incident_id', '=', incidentId)
      .where('person_key', 'in', personKeys)
      .orderBy('organization_id')
      .execute();
  }
}
