import { sql, type Kysely } from 'kysely';
import { unionMask } from './category-sql.js';
import type { DialectCapabilities } from './database.js';
import type { Database } from './schema.js';

/**
 * The matching rules of DESIGN.md, each one statement executed by the database so that matching
 * scales with it. Run in order by MatchService inside one transaction.
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
    await this.db
      .updateTable('exposed_record')
      .set((eb) => ({ account_id: eb.ref('exposed_record.user_id'), match_rule: 'user_id' }))
      .where('incident_id', '=', incidentId)
      .where('user_id', 'is not', null)
      .where((eb) =>
        eb.exists(
          eb.selectFrom('account').select('account.id').whereRef('account.id', '=', 'exposed_record.user_id'),
        ),
      )
      .execute();
  }

  /** Rule 2: failing the user id, by email when exactly one account has it. */
  async matchByUniqueEmail(incidentId: string): Promise<void> {
    await sql`
      update exposed_record set account_id = unique_email.account_id, match_rule = 'email'
        from (select email_norm, min(id) as account_id from account
               where email_norm is not null group by email_norm having count(*) = 1) as unique_email
       where exposed_record.incident_id = ${incidentId} and exposed_record.account_id is null
         and exposed_record.email_norm = unique_email.email_norm`.execute(this.db);
  }

  /** Records of one user id belong to one person: an unmatched record joins its matched sibling. */
  async matchBySiblingUserId(incidentId: string): Promise<void> {
    await sql`
      update exposed_record set account_id = sibling.account_id, match_rule = 'same_user_id'
        from (select user_id, min(account_id) as account_id from exposed_record
               where incident_id = ${incidentId} and user_id is not null and account_id is not null
               group by user_id having count(distinct account_id) = 1) as sibling
       where exposed_record.incident_id = ${incidentId} and exposed_record.account_id is null
         and exposed_record.user_id = sibling.user_id`.execute(this.db);
  }

  /**
   * Person key: the account when matched; else the email (own, or a same-user-id sibling's);
   * else the user id, so uncontactable people count once per distinct user id.
   */
  async assignPersonKeys(incidentId: string): Promise<void> {
    await sql`
      update exposed_record set person_key = case
        when account_id is not null then 'account:' || account_id
        when email_norm is not null then 'email:' || email_norm
        when (select min(s.email_norm) from exposed_record s
              where s.incident_id = exposed_record.incident_id and s.user_id = exposed_record.user_id
                and s.account_id is null) is not null
          then 'email:' || (select min(s.email_norm) from exposed_record s
              where s.incident_id = exposed_record.incident_id and s.user_id = exposed_record.user_id
                and s.account_id is null)
        when user_id is not null then 'user:' || user_id
        else 'record:' || dataset_id || ':' || cast(ordinal as text)
      end
      where incident_id = ${incidentId}`.execute(this.db);
  }

  async deletePeople(incidentId: string): Promise<void> {
    await this.db.deleteFrom('person').where('incident_id', '=', incidentId).execute();
  }

  async deletePersonOrganizations(incidentId: string): Promise<void> {
    await this.db.deleteFrom('person_organization').where('incident_id', '=', incidentId).execute();
  }

  /** Rules 4 and 6: one person per matched account, notified at the account's current email. */
  async insertMatchedPeople(incidentId: string): Promise<void> {
    await this.db
      .insertInto('person')
      .columns([
        'incident_id',
        'person_key',
        'kind',
        'account_id',
        'address',
        'address_norm',
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
            // An account without an email is reached at the address the dataset had for it.
            sql<string | null>`coalesce(a.email, min(r.email))`.as('address'),
            sql<string | null>`coalesce(a.email_norm, min(r.email_norm))`.as('address_norm'),
            unionMask('r.category_mask').as('category_mask'),
          ])
          .where('r.incident_id', '=', incidentId)
          .groupBy(['r.incident_id', 'r.person_key', 'a.id', 'a.email', 'a.email_norm']),
      )
      .execute();
  }

  /** Rule 2: unmatched people, contactable at the dataset's address or counted by user id. */
  async insertUnmatchedPeople(incidentId: string): Promise<void> {
    await this.db
      .insertInto('person')
      .columns([
        'incident_id',
        'person_key',
        'kind',
        'account_id',
        'address',
        'address_norm',
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
            (inner) => inner.fn.min('r.email').as('address'),
            (inner) => inner.fn.min('r.email_norm').as('address_norm'),
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
      insert into person_organization (incident_id, person_key, organization_id)
      select r.incident_id, r.person_key, o.organization_id
        from record_organization o
        join exposed_record r on r.dataset_id = o.dataset_id and r.ordinal = o.ordinal
       where o.incident_id = ${incidentId}
      union
      select p.incident_id, p.person_key, m.organization_id
        from person p
        join membership m on m.account_id = p.account_id
       where p.incident_id = ${incidentId}`.execute(this.db);
  }
}
