import { sql, type Kysely } from 'kysely';
import { categoryCounts } from './category-sql.js';
import type { DialectCapabilities } from './database.js';
import { probingRows } from './probe-order.js';
import type { Database } from './schema.js';

export const ADMIN_ROLES = ['owner', 'admin'] as const;

/**
 * Read-side queries over the people and organizations that matching materialized. Addresses are
 * grouped by their keyed hash; a matched person's is their account's current email, in clear, a
 * dataset one sealed.
 */
export class ImpactRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly capabilities: DialectCapabilities,
  ) {}

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

  /**
   * Rule 5: an organization whose id appears in the dataset, or one of whose members is impacted.
   * `organization_person` holds both for people (matching added their records' org keys); only the
   * records that are not people (group profiles) are read besides.
   */
  private impactedOrganizationIds(incidentId: string) {
    const keys = this.db
      .selectFrom('organization_person')
      .select('organization_key')
      .where('incident_id', '=', incidentId)
      .union(
        this.db
          .selectFrom('exposed_record as r')
          .innerJoin('record_organization as ro', (join) =>
            join.onRef('ro.dataset_id', '=', 'r.dataset_id').onRef('ro.ordinal', '=', 'r.ordinal'),
          )
          .select('ro.organization_key')
          .where('r.incident_id', '=', incidentId)
          .where('r.subject', '<>', 'person'),
      );
    return this.db
      .selectFrom(keys.as('k'))
      .innerJoin('organization as o', 'o.id_key', 'k.organization_key')
      .select('o.id')
      .distinct();
  }

  /** Impacted members of each impacted organization; 0 for one that only the dataset names. */
  private organizationMemberCounts(incidentId: string) {
    return this.db
      .selectFrom(this.impactedOrganizationIds(incidentId).as('i'))
      .innerJoin('organization as o', 'o.id', 'i.id')
      .leftJoin('organization_person as po', (join) =>
        join.onRef('po.organization_key', '=', 'o.id_key').on('po.incident_id', '=', incidentId),
      )
      .select(['o.id', 'o.name', (eb) => eb.fn.count<number>('po.person_key').as('members')])
      .groupBy(['o.id', 'o.name']);
  }

  peopleByCountry(incidentId: string) {
    return this.db
      .selectFrom('person')
      .select(['country', (eb) => eb.fn.countAll<number>().as('people')])
      .where('incident_id', '=', incidentId)
      .groupBy('country')
      .execute();
  }

  /** How many impacted organizations have each number of impacted members. */
  organizationSizes(incidentId: string) {
    return this.db
      .selectFrom(this.organizationMemberCounts(incidentId).as('s'))
      .select(['s.members', (eb) => eb.fn.countAll<number>().as('organizations')])
      .groupBy('s.members')
      .execute();
  }

  largestOrganizations(incidentId: string, limit: number) {
    return this.db
      .selectFrom(this.organizationMemberCounts(incidentId).as('s'))
      .select(['s.name', 's.members'])
      .orderBy('s.members', 'desc')
      .orderBy('s.id')
      .limit(limit)
      .execute();
  }

  private adminAddresses(incidentId: string) {
    return (
      this.db
        .selectFrom('membership as m')
        .innerJoin('account as a', 'a.id', 'm.account_id')
        .innerJoin('organization as o', 'o.id', 'm.organization_id')
        .where('m.organization_id', 'in', this.impactedOrganizationIds(incidentId))
        .where('m.role', 'in', ADMIN_ROLES)
        // Only active admins: one who left or was locked out must not receive other people's data.
        .where('a.status', '=', 'active')
        .where('a.email_key', 'is not', null)
    );
  }

  /**
   * Impacted organizations, those with an active admin who has an address, admin recipients and all
   * recipients, in one statement: the impacted set is computed once (as `impactedOrganizationIds`),
   * by two semi-joins (not one `OR` of two, which PostgreSQL cannot turn into joins), and the admins
   * once (materialized, or SQLite re-runs them for each count), their accounts read in key order
   * where probes want it; their memberships a join to the impacted set (a union: distinct) where
   * that plans better (`joinsDistinctSets`). Recipients are a union of two ordered lists, which
   * SQLite merges.
   */
  async totals(incidentId: string) {
    const roles = sql.join(ADMIN_ROLES);
    const admins = this.capabilities.joinsDistinctSets
      ? sql`select m.organization_id, m.account_id from membership m
              join impacted i on i.id = m.organization_id where m.role in (${roles})`
      : sql`select m.organization_id, m.account_id from membership m
             where m.organization_id in (select id from impacted) and m.role in (${roles})`;
    const { rows } = await sql<{
      organizations: number;
      with_admin: number;
      admin_recipients: number;
      recipients: number;
    }>`
      with impacted as (
        select o.id from organization o
         where o.id_key in (select organization_key from organization_person where incident_id = ${incidentId})
        union
        select o.id from organization o
         where o.id_key in (select ro.organization_key from exposed_record r
                              join record_organization ro on ro.dataset_id = r.dataset_id and ro.ordinal = r.ordinal
                             where r.incident_id = ${incidentId} and r.subject <> 'person')),
      admin_membership as ${probingRows(this.capabilities, admins, sql`m.account_id`)},
      admin as materialized (
        select m.organization_id, a.email_key from admin_membership m
          join account a on a.id = m.account_id
         where a.status = 'active' and a.email_key is not null)
      select (select count(*) from impacted) as organizations,
             (select count(distinct organization_id) from admin) as with_admin,
             (select count(distinct email_key) from admin) as admin_recipients,
             (select count(*)
                from (select address_key from person
                       where incident_id = ${incidentId} and address_key is not null
                      union
                      select email_key from admin
                      order by 1) as r) as recipients`.execute(this.db);
    const row = rows[0]!;
    return {
      organizations: Number(row.organizations),
      withAdmin: Number(row.with_admin),
      adminRecipients: Number(row.admin_recipients),
      recipients: Number(row.recipients),
    };
  }

  private recipients(incidentId: string) {
    return this.db
      .selectFrom('person as p')
      .leftJoin('account as a', 'a.id', 'p.account_id')
      .select(['p.address_key', 'a.email as address', 'p.address_sealed'])
      .where('p.incident_id', '=', incidentId)
      .where('p.address_key', 'is not', null)
      .unionAll(
        this.adminAddresses(incidentId).select([
          'a.email_key as address_key',
          'a.email as address',
          sql<string | null>`null`.as('address_sealed'),
        ]),
      );
  }

  private recipientGroups(incidentId: string) {
    return this.db
      .selectFrom(this.recipients(incidentId).as('r'))
      .select([
        sql<string>`r.address_key`.as('addressKey'),
        (eb) => eb.fn.min<string | null>('r.address').as('address'),
        (eb) => eb.fn.min<string | null>('r.address_sealed').as('addressSealed'),
      ])
      .groupBy('r.address_key');
  }

  /** Distinct recipient addresses after `after`, in key order (keyset pages). */
  recipientPage(incidentId: string, after: string, limit: number) {
    return this.recipientGroups(incidentId)
      .where('r.address_key', '>', after)
      .orderBy('r.address_key')
      .limit(limit)
      .execute();
  }

  findRecipient(incidentId: string, addressKey: string) {
    return this.recipientGroups(incidentId).where('r.address_key', '=', addressKey).executeTakeFirst();
  }

  peopleAt(incidentId: string, addressKeys: readonly string[]) {
    return this.db
      .selectFrom('person as p')
      .leftJoin('account as a', 'a.id', 'p.account_id')
      .select(['p.address_key', 'p.category_mask', 'p.country', 'p.region', 'a.name', 'a.locale'])
      .where('p.incident_id', '=', incidentId)
      .where('p.address_key', 'in', addressKeys)
      .execute();
  }

  /** One row per (admin address, organization), even when several accounts share the address. */
  administeredOrganizations(incidentId: string, addressKeys: readonly string[]) {
    return this.adminAddresses(incidentId)
      .select((eb) => [
        'a.email_key as addressKey',
        eb.fn.min('a.name').as('adminName'),
        eb.fn.min('a.locale').as('adminLocale'),
        'o.id',
        'o.name',
      ])
      .where('a.email_key', 'in', addressKeys)
      .groupBy(['a.email_key', 'o.id', 'o.name'])
      .orderBy('o.name')
      .execute();
  }

  organizationMembers(incidentId: string, organizationIds: readonly string[]) {
    return this.db
      .selectFrom('organization_person as po')
      .innerJoin('organization as o', 'o.id_key', 'po.organization_key')
      .innerJoin('person as p', (join) =>
        join.onRef('p.incident_id', '=', 'po.incident_id').onRef('p.person_key', '=', 'po.person_key'),
      )
      .leftJoin('account as a', 'a.id', 'p.account_id')
      .select([
        'o.id as organization_id',
        'p.person_key',
        'a.email as address',
        'p.address_sealed',
        'p.account_id',
        'p.category_mask',
      ])
      .where('po.incident_id', '=', incidentId)
      .where('o.id', 'in', organizationIds)
      .orderBy('o.id')
      .orderBy('p.person_key')
      .execute();
  }

  peoplePage(incidentId: string, after: string, limit: number) {
    return this.db
      .selectFrom('person as p')
      .leftJoin('account as a', 'a.id', 'p.account_id')
      .select([
        'p.person_key',
        'p.kind',
        'p.account_id',
        'a.email as address',
        'p.address_sealed',
        'p.category_mask',
      ])
      .where('p.incident_id', '=', incidentId)
      .where('p.person_key', '>', after)
      .orderBy('p.person_key')
      .limit(limit)
      .execute();
  }

  /** The directory organizations of these people (ids of unknown organizations stay hashed). */
  organizationsOf(incidentId: string, personKeys: readonly string[]) {
    return this.db
      .selectFrom('person_organization as po')
      .innerJoin('organization as o', 'o.id_key', 'po.organization_key')
      .select(['po.person_key', 'o.id as organization_id'])
      .where('po.incident_id', '=', incidentId)
      .where('po.person_key', 'in', personKeys)
      .execute();
  }
}
