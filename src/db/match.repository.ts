import { sql, type Kysely } from 'kysely';
import { unionMask } from './category-sql.js';
import type { DialectCapabilities } from './database.js';
import type { Database } from './schema.js';

/**
 * The matching rules of DESIGN.md, each one statement executed by the database so that matching
 * scales with it. Identity keys on both sides are keyed hashes, so every match is an equi-join.
 * Run in order by ImpactService inside one transaction.
 */
export class MatchRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly capabilities: DialectCapabilities,
  ) {}

  refreshStatistics(): Promise<void> {
    return this.capabilities.refreshStatistics(this.db, [
      'exposed_record',
      'record_organization',
      'account',
      'organization',
      'membership',
    ]);
  }

  async reset(incidentId: string): Promise<void> {
    await this.db
      .updateTable('exposed_record')
      .set({ account_id: null, match_rule: null, person_key: null })
      .where('incident_id', '=', incidentId)
      .execute();
  }

  /** Rule 2: by user id, compared exactly to the account id. */
  async matchByUserId(incidentId: string): Promise<void> {
    await sql`
      update exposed_record set account_id = account.id, match_rule = 'user_id'
        from account
       where exposed_record.incident_id = ${incidentId}
         and exposed_record.user_key = account.id_key`.execute(this.db);
  }

  /** Rule 2: failing the user id, by email when exactly one account has it. */
  async matchByUniqueEmail(incidentId: string): Promise<void> {
    await sql`
      update exposed_record set account_id = unique_email.account_id, match_rule = 'email'
        from (select email_key, min(id) as account_id from account
               where email_key is not null group by email_key having count(*) = 1) as unique_email
       where exposed_record.incident_id = ${incidentId} and exposed_record.account_id is null
         and exposed_record.email_key = unique_email.email_key`.execute(this.db);
  }

  /** Records of one user id belong to one person: an unmatched record joins its matched sibling. */
  async matchBySiblingUserId(incidentId: string): Promise<void> {
    await sql`
      update exposed_record set account_id = sibling.account_id, match_rule = 'same_user_id'
        from (select user_key, min(account_id) as account_id from exposed_record
               where incident_id = ${incidentId} and user_key is not null and account_id is not null
               group by user_key having count(distinct account_id) = 1) as sibling
       where exposed_record.incident_id = ${incidentId} and exposed_record.account_id is null
         and exposed_record.user_key = sibling.user_key`.execute(this.db);
  }

  /**
   * Person key: the account when matched; else the email (own, or a same-user-id sibling's);
   * else the user id, so uncontactable people count once per distinct user id; else the record.
   */
  async assignPersonKeys(incidentId: string): Promise<void> {
    await sql`
      update exposed_record set person_key = case
        when account_id is not null then 'account:' || account_id
        when email_key is not null then 'email:' || email_key
        when (select min(s.email_key) from exposed_record s
              where s.incident_id = exposed_record.incident_id and s.user_key = exposed_record.user_key
                and s.account_id is null) is not null
          then 'email:' || (select min(s.email_key) from exposed_record s
              where s.incident_id = exposed_record.incident_id and s.user_key = exposed_record.user_key
                and s.account_id is null)
        when user_key is not null then 'user:' || user_key
        else 'record:' || dataset_id || ':' || cast(ordinal as text)
      end
      where incident_id = ${incidentId}`.execute(this.db);
  }

  async purgePersonAddresses(incidentId: string): Promise<void> {
    await this.db
      .updateTable('person')
      .set({ address_sealed: null })
      .where('incident_id', '=', incidentId)
      .execute();
  }

  /** Makes sure purged values do not survive in old row versions on disk. */
  reclaimPurged(): Promise<void> {
    return this.capabilities.reclaimPurged(this.db, ['exposed_value', 'exposed_record', 'person', 'notice']);
  }

  async deletePeople(incidentId: string): Promise<void> {
    await this.db.deleteFrom('person').where('incident_id', '=', incidentId).execute();
  }

  async deletePersonOrganizations(incidentId: string): Promise<void> {
    await this.db.deleteFrom('person_organization').where('incident_id', '=', incidentId).execute();
  }

  /**
   * Rules 4 and 6: one person per matched account, notified at the account's current email, or at
   * the dataset's (sealed) address when the account has none.
   */
  async insertMatchedPeople(incidentId: string): Promise<void> {
    await this.db
      .insertInto('person')
      .columns([
        'incident_id',
        'person_key',
        'kind',
        'account_id',
        'address',
        'address_sealed',
        'address_key',
        'category_mask',
      ])
      .expression((eb) =>
        eb
          .selectFrom('exposed_record as r')
          .innerJoin('account as a', 'a.id', 'r.account_id')
          .select([
            'r.incident_id',
            'r.person_key',
            sql.lit('matched').as('kind'),
            'a.id',
            'a.email',
            sql<string | null>`case when a.email is null then min(r.email_sealed) end`.as('address_sealed'),
            sql<string | null>`coalesce(a.email_key, min(r.email_key))`.as('address_key'),
            unionMask('r.category_mask').as('category_mask'),
          ])
          .where('r.incident_id', '=', incidentId)
          .groupBy(['r.incident_id', 'r.person_key', 'a.id', 'a.email', 'a.email_key']),
      )
      .execute();
  }

  /** Rule 2: unmatched people, contactable at the dataset's (sealed) address, or counted. */
  async insertUnmatchedPeople(incidentId: string): Promise<void> {
    await this.db
      .insertInto('person')
      .columns([
        'incident_id',
        'person_key',
        'kind',
        'account_id',
        'address',
        'address_sealed',
        'address_key',
        'category_mask',
      ])
      .expression((eb) =>
        eb
          .selectFrom('exposed_record as r')
          .select([
            'r.incident_id',
            'r.person_key',
            sql<string>`case when r.person_key like 'email:%' then 'unmatched_contactable' else 'uncontactable' end`.as(
              'kind',
            ),
            sql<null>`null`.as('account_id'),
            sql<null>`null`.as('address'),
            (inner) => inner.fn.min('r.email_sealed').as('address_sealed'),
            (inner) => inner.fn.min('r.email_key').as('address_key'),
            unionMask('r.category_mask').as('category_mask'),
          ])
          .where('r.incident_id', '=', incidentId)
          .where('r.account_id', 'is', null)
          .groupBy(['r.incident_id', 'r.person_key']),
      )
      .execute();
  }

  /** Rules 3 and 5: a person's organizations are their records' org keys and their memberships. */
  async insertPersonOrganizations(incidentId: string): Promise<void> {
    await sql`
      insert into person_organization (incident_id, person_key, organization_key)
      select r.incident_id, r.person_key, o.organization_key
        from record_organization o
        join exposed_record r on r.dataset_id = o.dataset_id and r.ordinal = o.ordinal
       where o.incident_id = ${incidentId}
      union
      select p.incident_id, p.person_key, org.id_key
        from person p
        join membership m on m.account_id = p.account_id
        join organization org on org.id = m.organization_id
       where p.incident_id = ${incidentId}`.execute(this.db);
  }
}
