import { sql, type Insertable, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { DialectCapabilities } from './database.js';
import type { Database, NoticeBodyTable, NoticeStatus, NoticeTable } from './schema.js';

export type NoticeRow = Selectable<NoticeTable>;

/** What a send made of a notice, to be written back under its lease. */
export interface NoticeResult {
  id: string;
  status: NoticeStatus;
  sent_at?: string | null;
  next_attempt_at?: string | null;
  last_error?: string | null;
}

export class NoticeRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly capabilities: DialectCapabilities,
  ) {}

  /**
   * Idempotent per (incident, recipient): a re-plan never replaces a notice already planned.
   * Returns the ids inserted, whose bodies are to follow.
   */
  async insertNew(rows: Insertable<NoticeTable>[]): Promise<string[]> {
    const inserted = await this.db
      .insertInto('notice')
      .values(rows)
      .onConflict((oc) => oc.columns(['incident_id', 'recipient_key']).doNothing())
      .returning('id')
      .execute();
    return inserted.map((row) => row.id);
  }

  async insertBodies(rows: NoticeBodyTable[]): Promise<void> {
    await this.db.insertInto('notice_body').values(rows).execute();
  }

  bodies(noticeIds: readonly string[]): Promise<NoticeBodyTable[]> {
    return this.db.selectFrom('notice_body').selectAll().where('notice_id', 'in', noticeIds).execute();
  }

  async existingRecipients(incidentId: string, recipientKeys: readonly string[]): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('notice')
      .select('recipient_key')
      .where('incident_id', '=', incidentId)
      .where('recipient_key', 'in', recipientKeys)
      .execute();
    return new Set(rows.map((row) => row.recipient_key));
  }

  /**
   * Claims a batch under a lease: due queued or deferred notices, and notices whose sender's lease
   * ran out (it crashed). Each status is walked on its own in id order (index `notice_claim`), so a
   * claim reads about a batch of rows however many notices the incident has. On PostgreSQL, SKIP
   * LOCKED keeps concurrent workers on disjoint rows.
   */
  claim(
    incidentId: string,
    owner: string,
    now: string,
    leaseUntil: string,
    limit: number,
  ): Promise<NoticeRow[]> {
    const arm = (status: NoticeStatus, due: 'next_attempt_at' | 'lease_until', alias: string) => {
      let ids = this.db
        .selectFrom('notice')
        .select('id')
        .where('incident_id', '=', incidentId)
        .where('status', '=', status)
        .where('approved_at', 'is not', null)
        .where((eb) =>
          due === 'lease_until'
            ? eb('lease_until', '<', now)
            : eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]),
        )
        .orderBy('id')
        .limit(limit);
      if (this.capabilities.skipLocked) ids = ids.forUpdate().skipLocked();
      return this.db.selectFrom(ids.as(alias)).select(`${alias}.id`);
    };
    const due = arm('queued', 'next_attempt_at', 'queued_due')
      .unionAll(arm('deferred', 'next_attempt_at', 'deferred_due'))
      .unionAll(arm('sending', 'lease_until', 'lease_expired'))
      .orderBy('id')
      .limit(limit);
    return this.db
      .updateTable('notice')
      .set((eb) => ({
        status: 'sending',
        lease_owner: owner,
        lease_until: leaseUntil,
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', 'in', due)
      .returningAll()
      .execute();
  }

  /**
   * Extends our lease right before sending; false when another worker has reclaimed the notice
   * meanwhile, which must then not be sent by us.
   */
  async renewLease(id: string, owner: string, leaseUntil: string): Promise<boolean> {
    const result = await this.db
      .updateTable('notice')
      .set({ lease_until: leaseUntil })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'sending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Records the results of a batch in one statement, each only while its lease is still ours, so
   * a late worker cannot overwrite; returns the notices written with their status. A column whose
   * value differs between results takes it from a CASE on the id.
   */
  async finishAll(
    owner: string,
    results: readonly NoticeResult[],
  ): Promise<{ id: string; status: string }[]> {
    if (results.length === 0) return [];
    const column = (pick: (result: NoticeResult) => string | null) => {
      const values = results.map(pick);
      if (values.every((value) => value === values[0])) return sql<string | null>`${values[0]}`;
      const cases = results.map((result, i) => sql`when ${result.id} then ${values[i]}`);
      return sql<string | null>`case ${sql.ref('id')} ${sql.join(cases, sql` `)} end`;
    };
    return this.db
      .updateTable('notice')
      .set({
        status: column((result) => result.status) as RawBuilder<NoticeStatus>,
        sent_at: column((result) => result.sent_at ?? null),
        next_attempt_at: column((result) => result.next_attempt_at ?? null),
        last_error: column((result) => result.last_error ?? null),
        lease_owner: null,
        lease_until: null,
      })
      .where(
        'id',
        'in',
        results.map((result) => result.id),
      )
      .where('lease_owner', '=', owner)
      .returning(['id', 'status'])
      .execute();
  }

  async release(id: string, owner: string, attempts: number, notBefore: string | null): Promise<void> {
    await this.db
      .updateTable('notice')
      .set({ status: 'queued', attempts, next_attempt_at: notBefore, lease_owner: null, lease_until: null })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .execute();
  }

  /** Drops sealed addresses; status, hash, reference and Message-ID stay as evidence. */
  async purgeValues(incidentId: string): Promise<void> {
    await this.db
      .updateTable('notice')
      .set({ recipient_sealed: null })
      .where('incident_id', '=', incidentId)
      .execute();
  }

  async purgeBodies(incidentId: string): Promise<void> {
    await this.db
      .updateTable('notice_body')
      .set({ text_sealed: null, html_sealed: null })
      .where('notice_id', 'in', (eb) =>
        eb.selectFrom('notice').select('id').where('incident_id', '=', incidentId),
      )
      .execute();
  }

  countUnfinished(incidentId: string) {
    return this.db
      .selectFrom('notice')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('incident_id', '=', incidentId)
      .where('status', 'in', ['queued', 'sending', 'deferred'])
      .executeTakeFirstOrThrow();
  }

  /** Approves every planned notice not yet approved; returns their content hashes, in id order. */
  async approvePending(incidentId: string, by: string, at: string): Promise<string[]> {
    const rows = await this.db
      .updateTable('notice')
      .set({ approved_by: by, approved_at: at })
      .where('incident_id', '=', incidentId)
      .where('approved_at', 'is', null)
      .returning(['id', 'content_hash'])
      .execute();
    return rows.sort((a, b) => a.id.localeCompare(b.id)).map((row) => row.content_hash);
  }

  /** A notice reported bounced after it was sent; a later duplicate report changes nothing. */
  async markBounced(incidentId: string, messageId: string, reason: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('notice')
      .set({ status: 'bounced', last_error: reason, next_attempt_at: null })
      .where('incident_id', '=', incidentId)
      .where('message_id', '=', messageId)
      .where('status', '=', 'sent')
      .where('sent_at', '<=', at)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** The notice a bounce reports on, whatever its incident: Message-IDs are unique per notice. */
  findByMessageId(messageId: string) {
    return this.db
      .selectFrom('notice')
      .select(['id', 'incident_id'])
      .where('message_id', '=', messageId)
      .executeTakeFirst();
  }

  async firstSentAt(incidentId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('notice')
      .select((eb) => eb.fn.min('sent_at').as('first'))
      .where('incident_id', '=', incidentId)
      .executeTakeFirstOrThrow();
    return row.first ?? null;
  }

  /**
   * Approved notices not yet final, how many of them a sender holds under a lease, and the earliest
   * moment one of them can be sent again.
   */
  pending(incidentId: string) {
    return this.db
      .selectFrom('notice')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>(eb.case().when('status', '=', 'sending').then(1).else(0).end()).as('leased'),
        eb.fn.min(eb.fn.coalesce('next_attempt_at', 'lease_until')).as('nextAt'),
      ])
      .where('incident_id', '=', incidentId)
      .where('approved_at', 'is not', null)
      .where('status', 'in', ['queued', 'deferred', 'sending'])
      .executeTakeFirstOrThrow();
  }

  countUnapproved(incidentId: string) {
    return this.db
      .selectFrom('notice')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('incident_id', '=', incidentId)
      .where('approved_at', 'is', null)
      .executeTakeFirstOrThrow();
  }

  findByReference(referenceCode: string) {
    return this.db
      .selectFrom('notice')
      .select(['incident_id', 'recipient_key', 'status', 'sent_at', 'subject'])
      .where('reference_code', '=', referenceCode)
      .executeTakeFirst();
  }

  statusCounts(incidentId: string) {
    return this.db
      .selectFrom('notice')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('incident_id', '=', incidentId)
      .groupBy('status')
      .execute();
  }

  failures(incidentId: string, limit: number) {
    return this.db
      .selectFrom('notice')
      .select(['recipient_sealed', 'status', 'attempts', 'last_error', 'next_attempt_at'])
      .where('incident_id', '=', incidentId)
      .where('status', 'in', ['deferred', 'failed', 'bounced', 'dead'])
      .orderBy('recipient_key')
      .limit(limit)
      .execute();
  }

  findByRecipient(incidentId: string, recipientKey: string): Promise<NoticeRow | undefined> {
    return this.db
      .selectFrom('notice')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .where('recipient_key', '=', recipientKey)
      .executeTakeFirst();
  }

  countForIncident(incidentId: string) {
    return this.db
      .selectFrom('notice')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('incident_id', '=', incidentId)
      .executeTakeFirstOrThrow();
  }

  /** Notices of an incident after an id, in id order (keyset pages), for an export. */
  exportPage(incidentId: string, afterId: string, limit: number) {
    return this.db
      .selectFrom('notice')
      .select([
        'id',
        'reference_code',
        'recipient_sealed',
        'recipient_domain',
        'status',
        'attempts',
        'approved_by',
        'approved_at',
        'sent_at',
        'last_error',
        'created_at',
      ])
      .where('incident_id', '=', incidentId)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
  }
}
