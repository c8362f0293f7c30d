import { sql, type Kysely } from 'kysely';
import { unionMask } from './category-sql.js';
import type { DialectCapabilities } from './database.js';
import type { Database } from './schema.js';
import { probingRows } from './probe-order.js';
import { dropSecondaryIndexes, restoreIndexes } from './secondary-indexes.js';

/**
 * A person with one record is placed where it says (a region only with a country, as
 * `locatePeopleByRecords` would): most people have one, and the window over records then skips them.
 */
function singleRecordPlace(country: string, region: string) {
  return sql`case when count(*) = 1 then min(${sql.ref(country)}) end as country,
    case when count(*) = 1 and min(${sql.ref(country)}) is not null then min(${sql.ref(region)}) end as region`;
}

/** Changes when the statements of MatchRepository change what they decide: stored matches are rebuilt. */
export const MATCH_RULES = 'match-rules-3';

/**
 * The matching rules of DESIGN.md as SQL the database executes, so matching scales with it.
 * Identity keys on both sides are keyed hashes, so every match is an equi-join. Records are
 * never rewritten: each run rebuilds `record_match`, then people and their organizations, by
 * inserts; only the few unmatched rows are updated. Run in order by ImpactService in one
 * transaction.
 */
export class MatchRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly capabilities: DialectCapabilities,
  ) {}

  /**
   * `dataset` too: a table of a few rows is never auto-analyzed, and PostgreSQL then guessed the
   * incident's records' organizations at 1/170 of them and anti-joined them by index probes (9 s).
   */
  refreshStatistics(): Promise<void> {
    return this.capabilities.refreshStatistics(this.db, [
      'dataset',
      'exposed_record',
      'record_organization',
      'account',
      'organization',
      'membership',
    ]);
  }

  /**
   * PostgreSQL plans each statement on the statistics of a rebuilt table from before the rebuild
   * (on a first run, of an empty table: at 200,000 records `adoptSiblingEmail` took 17 s instead
   * of 0.3 s): fresh ones, from a sample, inside the transaction. SQLite's plans here do not
   * depend on them.
   */
  async refreshRebuiltStatistics(
    table: 'record_match' | 'person' | 'person_organization' | 'organization_person',
  ): Promise<void> {
    if (this.capabilities.plansNeedRebuiltStatistics)
      await this.capabilities.refreshStatistics(this.db, [table]);
  }

  /** Runs the transaction that rebuilds the matches, which `work` opens (see `DialectCapabilities.bulkRebuild`). */
  bulkRebuild<T>(work: () => Promise<T>): Promise<T> {
    return this.capabilities.bulkRebuild(this.db, work);
  }

  /** First in the rebuild's transaction (see `DialectCapabilities.roomForSorts`). */
  roomForSorts(): Promise<void> {
    return this.capabilities.roomForSorts(this.db);
  }

  /** What the incident's matching reads from its datasets, for its stamp. */
  datasetInputs(incidentId: string) {
    return this.db
      .selectFrom('dataset')
      .select(['id', 'sha256', 'rows_read', 'rows_valid', 'org_keys'])
      .where('incident_id', '=', incidentId)
      .execute();
  }

  async stampOf(incidentId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('match_stamp')
      .select('stamp')
      .where('incident_id', '=', incidentId)
      .executeTakeFirst();
    return row?.stamp ?? null;
  }

  async putStamp(incidentId: string, stamp: string, matchedAt: string): Promise<void> {
    await this.db
      .insertInto('match_stamp')
      .values({ incident_id: incidentId, stamp, matched_at: matchedAt })
      .onConflict((oc) => oc.column('incident_id').doUpdateSet({ stamp, matched_at: matchedAt }))
      .execute();
  }

  async deleteMatches(incidentId: string): Promise<void> {
    await this.db.deleteFrom('record_match').where('incident_id', '=', incidentId).execute();
  }

  /**
   * Rules 1 and 2: by user id, exactly, against the account id; failing that, by email when exactly
   * one account has it. The first person key follows: the account, else the email, else the user
   * id (uncontactable people count once per user id), else the record itself. The email is probed
   * only for a record its user id did not match: one covering-index probe each, not a join against
   * every unique address of the directory. Each probe's covering index also gives the account's
   * email key, so building the people reads no account row. Where probes want it
   * (`probesInKeyOrder`), records are sorted by user id for the probes and back by key to be written.
   * Five expressions read the email probe's result: fenced where the planner would repeat the
   * probe in each (`fencesRepeatedProbes`).
   */
  async matchDirectly(incidentId: string): Promise<void> {
    const records = sql`
      select dataset_id, ordinal, incident_id, user_key, email_key, category_mask, country, region
        from exposed_record where incident_id = ${incidentId} and subject = 'person'`;
    await sql`
      insert into record_match
        (dataset_id, ordinal, incident_id, user_key, email_key, category_mask, country, region,
         account_id, account_email_key, match_rule, person_key)
      with r as ${probingRows(this.capabilities, records, sql`user_key`)}
      select dataset_id, ordinal, incident_id, user_key, email_key, category_mask, country, region,
             coalesce(by_id, by_email),
             case when by_id is not null then by_id_email_key when by_email is not null then email_key end,
             case when by_id is not null then 'user_id' when by_email is not null then 'email' end,
             case when coalesce(by_id, by_email) is not null then 'account:' || coalesce(by_id, by_email)
                  when email_key is not null then 'email:' || email_key
                  when user_key is not null then 'user:' || user_key
                  else 'record:' || dataset_id || ':' || cast(ordinal as text) end
        from (select r.dataset_id, r.ordinal, r.incident_id, r.user_key, r.email_key, r.category_mask,
                     r.country, r.region, a.id as by_id, a.email_key as by_id_email_key,
                     case when a.id is null and r.email_key is not null
                          then (select case when count(*) = 1 then min(e.id) end
                                  from account e where e.email_key = r.email_key) end as by_email
                from r left join account a on a.id_key = r.user_key
              ${this.capabilities.fencesRepeatedProbes ? sql`offset 0` : sql``}) as direct
       ${this.capabilities.probesInKeyOrder ? sql`order by dataset_id, ordinal` : sql``}`.execute(this.db);
  }

  /** Records of one user id are one person: an unmatched record joins its matched sibling. */
  async matchBySiblingUserId(incidentId: string): Promise<void> {
    await sql`
      update record_match set account_id = sibling.account_id, account_email_key = sibling.account_email_key,
                              match_rule = 'same_user_id', person_key = 'account:' || sibling.account_id
        from (select user_key, min(account_id) as account_id, min(account_email_key) as account_email_key
                from record_match
               where incident_id = ${incidentId} and account_id is not null
                 and user_key in (select user_key from record_match
                                   where incident_id = ${incidentId} and account_id is null
                                     and user_key is not null)
               group by user_key having count(distinct account_id) = 1) as sibling
       where record_match.incident_id = ${incidentId} and record_match.account_id is null
         and record_match.user_key = sibling.user_key`.execute(this.db);
  }

  /** An unmatched record without an email takes the address of an unmatched same-user-id sibling. */
  async adoptSiblingEmail(incidentId: string): Promise<void> {
    await sql`
      update record_match set person_key = 'email:' || sibling.email_key
        from (select user_key, min(email_key) as email_key from record_match
               where incident_id = ${incidentId} and account_id is null
                 and user_key is not null and email_key is not null
               group by user_key) as sibling
       where record_match.incident_id = ${incidentId} and record_match.account_id is null
         and record_match.email_key is null and record_match.user_key = sibling.user_key`.execute(this.db);
  }

  async deletePeople(incidentId: string): Promise<void> {
    await this.db.deleteFrom('person').where('incident_id', '=', incidentId).execute();
  }

  async deletePersonOrganizations(incidentId: string): Promise<void> {
    await this.db.deleteFrom('person_organization').where('incident_id', '=', incidentId).execute();
  }

  async deleteOrganizationPeople(incidentId: string): Promise<void> {
    await this.db.deleteFrom('organization_person').where('incident_id', '=', incidentId).execute();
  }

  /**
   * SQLite: the people's secondary indexes are dropped before they are written and built after,
   * by sorting (see `dropSecondaryIndexes`): address keys are random, so keeping that index in
   * step cost a page read per person. Rebuilding covers every incident's people.
   */
  dropPersonIndexes(): Promise<string[]> {
    return dropSecondaryIndexes(this.db, this.capabilities, ['person']);
  }

  restoreIndexes(definitions: readonly string[]): Promise<void> {
    return restoreIndexes(this.db, definitions);
  }

  /**
   * Rules 4 and 6: one person per matched account, notified at the account's current email (read
   * when the notice is planned) and counted under its email key, which the match carried. The
   * records come grouped in key order. A person with one record is placed where it says; others are
   * placed by `locatePeopleByRecords`. One whose records say nowhere is where the directory account
   * says: only those few read their account row, as they are written.
   */
  async insertMatchedPeople(incidentId: string): Promise<void> {
    await sql`
      insert into person
        (incident_id, person_key, kind, account_id, address_sealed, address_key, category_mask,
         record_count, country, region)
      select incident_id, person_key, 'matched', account_id, null, address_key, category_mask,
             record_count,
             case when placed_records = 0 then (select a.country from account a where a.id = g.account_id)
                  else country end,
             case when placed_records = 0
                  then (select a.region from account a where a.id = g.account_id and a.country is not null)
                  else region end
        from (select incident_id, person_key, min(account_id) as account_id,
                     coalesce(min(account_email_key), min(email_key)) as address_key,
                     ${unionMask('category_mask')} as category_mask, count(*) as record_count,
                     count(country) as placed_records, ${singleRecordPlace('country', 'region')}
                from record_match
               where incident_id = ${incidentId} and account_id is not null
               group by incident_id, person_key) as g`.execute(this.db);
  }

  /**
   * Rule 6: a matched account without an email is notified at the dataset's (sealed) address; only
   * those people's records are read.
   */
  async addressPeopleWithoutAccountEmail(incidentId: string): Promise<void> {
    await sql`
      update person set address_sealed = found.address_sealed
        from (select m.person_key, min(r.email_sealed) as address_sealed
                from record_match m
                join exposed_record r on r.dataset_id = m.dataset_id and r.ordinal = m.ordinal
               where m.incident_id = ${incidentId} and m.account_id is not null
                 and m.account_email_key is null
               group by m.person_key) as found
       where person.incident_id = ${incidentId} and person.person_key = found.person_key`.execute(this.db);
  }

  /** Rule 2: unmatched people, contactable at the dataset's (sealed) address, or counted. */
  async insertUnmatchedPeople(incidentId: string): Promise<void> {
    await sql`
      insert into person
        (incident_id, person_key, kind, account_id, address_sealed, address_key, category_mask,
         record_count, country, region)
      select m.incident_id, m.person_key,
             case when m.person_key like 'email:%' then 'unmatched_contactable' else 'uncontactable' end,
             null, min(r.email_sealed), min(m.email_key), ${unionMask('m.category_mask')}, count(*),
             ${singleRecordPlace('m.country', 'm.region')}
        from record_match m
        join exposed_record r on r.dataset_id = m.dataset_id and r.ordinal = m.ordinal
       where m.incident_id = ${incidentId} and m.account_id is null
       group by m.incident_id, m.person_key`.execute(this.db);
  }

  /**
   * A person's place is the country most of their records give, with the region most of those
   * give (a record with a region beats one without); ties go to the first in alphabetical order.
   * People with one record were placed as they were written: only the others' records are read.
   */
  async locatePeopleByRecords(incidentId: string): Promise<void> {
    await sql`
      update person set country = picked.country, region = picked.region
        from (select person_key, country, region,
                     row_number() over (partition by person_key
                                        order by country_records desc,
                                                 case when region is null then 1 else 0 end,
                                                 region_records desc, country, region) as pick
                from (select person_key, country, region, count(*) as region_records,
                             sum(count(*)) over (partition by person_key, country) as country_records
                        from record_match
                       where incident_id = ${incidentId} and country is not null
                         and person_key in (select person_key from person
                                             where incident_id = ${incidentId} and record_count > 1)
                       group by person_key, country, region) as counted) as picked
       where person.incident_id = ${incidentId} and person.person_key = picked.person_key
         and picked.pick = 1`.execute(this.db);
  }

  /**
   * Rules 3 and 5: a person's organizations are their memberships, then (`addRecordOrganizations`)
   * their records' org keys. Memberships come in key order without a sort (people by their key,
   * each one's from the covering index by account and organization key): the b-tree is appended to.
   * A membership written before migration 017 of an organization since gone has no key. PostgreSQL
   * hash-joins them in no order: sorted (see `DialectCapabilities.sortsJoinedInserts`), by account
   * id, which orders a matched person's key ('account:' and the id, both byte order) the same: then
   * it merge-joins the two indexes by account and sorts nothing (at 1M, 4.7 → 2.5 s).
   */
  async insertMembershipOrganizations(incidentId: string): Promise<void> {
    const inKeyOrder = this.capabilities.sortsJoinedInserts
      ? sql`order by p.account_id, ms.organization_key`
      : sql``;
    await sql`
      insert into person_organization (incident_id, person_key, organization_key)
      select p.incident_id, p.person_key, ms.organization_key
        from person p
        join membership ms on ms.account_id = p.account_id
       where p.incident_id = ${incidentId} and ms.organization_key is not null
       ${inKeyOrder}`.execute(this.db);
  }

  /**
   * Rule 3: the records' org keys that memberships did not give, sorted so the b-tree is walked
   * once in order. The incident's org keys are found by dataset, a range of their primary key. Most
   * pairs are memberships already: left out first where that is cheaper (`antiJoinsKnownRows`).
   */
  async addRecordOrganizations(incidentId: string): Promise<void> {
    const unknown = this.capabilities.antiJoinsKnownRows
      ? sql`and not exists (select 1 from person_organization known
                             where known.incident_id = m.incident_id and known.person_key = m.person_key
                               and known.organization_key = o.organization_key)`
      : sql``;
    await sql`
      insert into person_organization (incident_id, person_key, organization_key)
      select m.incident_id, m.person_key, o.organization_key
        from record_organization o
        join record_match m on m.dataset_id = o.dataset_id and m.ordinal = o.ordinal
       where o.dataset_id in (select id from dataset where incident_id = ${incidentId})
         ${unknown}
       order by m.person_key, o.organization_key
      on conflict do nothing`.execute(this.db);
  }

  /** The same pairs clustered by organization, sorted once (cheaper than an index kept in step). */
  async insertOrganizationPeople(incidentId: string): Promise<void> {
    await sql`
      insert into organization_person (incident_id, organization_key, person_key)
      select incident_id, organization_key, person_key from person_organization
       where incident_id = ${incidentId}
       order by organization_key, person_key`.execute(this.db);
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
    return this.capabilities.reclaimPurged(this.db, [
      'exposed_value',
      'exposed_record',
      'person',
      'notice',
      'notice_body',
    ]);
  }
}
