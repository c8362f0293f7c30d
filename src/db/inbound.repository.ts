import { sql, type Expression, type Insertable, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { DialectCapabilities } from './database.js';
import type { Database, InboundMessageTable, InboundRecipientTable } from './schema.js';

export type InboundMessageRow = Selectable<InboundMessageTable>;

export interface InboundFilter {
  kind?: string | undefined;
  verdict?: string | undefined;
  limit: number;
}

export interface ReceivedRange {
  since: string | null;
  until: string | null;
}

/**
 * Inbound messages and whom they were addressed to. The misuse queries compare keyed hashes only:
 * an incident's leaked set is its people's address keys and its records' email keys.
 */
export class InboundRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly capabilities: DialectCapabilities,
  ) {}

  findBySha256(sha256: string) {
    return this.db
      .selectFrom('inbound_message')
      .select(['id', 'kind', 'verdict', 'duplicate_count'])
      .where('sha256', '=', sha256)
      .executeTakeFirst();
  }

  /** Inserts a message, or counts one more arrival of the same bytes; `duplicate_count` 0 means new. */
  insertOrCount(row: Insertable<InboundMessageTable>) {
    return this.db
      .insertInto('inbound_message')
      .values(row)
      .onConflict((oc) =>
        oc.column('sha256').doUpdateSet((eb) => ({
          duplicate_count: eb('inbound_message.duplicate_count', '+', 1),
          last_seen_at: eb.ref('excluded.last_seen_at'),
        })),
      )
      .returning(['id', 'duplicate_count'])
      .executeTakeFirstOrThrow();
  }

  /** Counts one more arrival of bytes already stored. */
  async countDuplicate(id: string, at: string): Promise<void> {
    await this.db
      .updateTable('inbound_message')
      .set((eb) => ({ duplicate_count: eb('duplicate_count', '+', 1), last_seen_at: at }))
      .where('id', '=', id)
      .execute();
  }

  async insertRecipients(rows: Insertable<InboundRecipientTable>[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.insertInto('inbound_recipient').values(rows).execute();
  }

  /** Drops the sealed body, headers and subject of messages first received before `before`; hashes, verdicts and recipient keys stay. */
  async purgeBodies(before: string): Promise<number> {
    const result = await this.db
      .updateTable('inbound_message')
      .set({ raw_sealed: null, headers_sealed: null, subject_sealed: null })
      .where('received_at', '<', before)
      .where((eb) =>
        eb.or([
          eb('raw_sealed', 'is not', null),
          eb('headers_sealed', 'is not', null),
          eb('subject_sealed', 'is not', null),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** No purged body may survive on disk in an old row version. */
  reclaimPurged(): Promise<void> {
    return this.capabilities.reclaimPurged(this.db, ['inbound_message']);
  }

  /** Newest first, without bodies or headers; the sealed subject only for an operator who asks. */
  list({ kind, verdict, limit }: InboundFilter) {
    let query = this.db
      .selectFrom('inbound_message as m')
      .select((eb) => [
        'm.id',
        'm.sha256',
        'm.kind',
        'm.size_bytes',
        'm.received_at',
        'm.last_seen_at',
        'm.duplicate_count',
        'm.from_domain',
        'm.addressed_by',
        'm.subject_sealed',
        'm.verdict',
        'm.score',
        'm.reasons',
        'm.bounce_outcome',
        eb
          .selectFrom('inbound_recipient as r')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('r.message_id', '=', 'm.id')
          .as('recipients'),
      ])
      .orderBy('m.received_at', 'desc')
      .orderBy('m.id')
      .limit(limit);
    if (kind !== undefined) query = query.where('m.kind', '=', kind as InboundMessageTable['kind']);
    if (verdict !== undefined) query = query.where('m.verdict', '=', verdict);
    return query.execute();
  }

  /** Every address key of the incident's leaked set: people's addresses, records' and matched accounts' emails. */
  private leakedKeys(incidentId: string) {
    return this.db
      .selectFrom('person')
      .select('address_key as key')
      .where('incident_id', '=', incidentId)
      .where('address_key', 'is not', null)
      .union(
        this.db
          .selectFrom('record_match')
          .select('email_key as key')
          .where('incident_id', '=', incidentId)
          .where('email_key', 'is not', null),
      )
      .union(
        this.db
          .selectFrom('person as p')
          .innerJoin('account as a', 'a.id', 'p.account_id')
          .select('a.email_key as key')
          .where('p.incident_id', '=', incidentId)
          .where('a.email_key', 'is not', null),
      );
  }

  private directoryKeys() {
    return this.db.selectFrom('account').select('email_key as key').where('email_key', 'is not', null);
  }

  /** Distinct addresses in the leaked set, and directory addresses outside it. */
  populations(incidentId: string) {
    return this.db
      .selectNoFrom((eb) => [
        eb
          .selectFrom(this.leakedKeys(incidentId).as('l'))
          .select((inner) => inner.fn.countAll<number>().as('n'))
          .as('leaked'),
        eb
          .selectFrom('account')
          .select((inner) => inner.fn.count<number>('email_key').distinct().as('n'))
          .where('email_key', 'is not', null)
          .where('email_key', 'not in', this.leakedKeys(incidentId))
          .as('rest'),
      ])
      .executeTakeFirstOrThrow();
  }

  /** Per group (leaked, rest of the directory, outside it): targeted addresses and distinct phishing messages. */
  phishingByGroup(incidentId: string, range: ReceivedRange) {
    const rows = this.db
      .selectFrom('inbound_recipient as r')
      .innerJoin('inbound_message as m', 'm.id', 'r.message_id')
      .select((eb) => [
        'r.recipient_key',
        'm.original_sha256',
        eb
          .case()
          .when(eb('r.recipient_key', 'in', this.leakedKeys(incidentId)))
          .then('leaked')
          .when(eb('r.recipient_key', 'in', this.directoryKeys()))
          .then('rest')
          .else('outside')
          .end()
          .as('grp'),
      ])
      .where('m.verdict', '=', 'phishing')
      .where((eb) => inRange(eb.ref('m.received_at'), range));
    return this.db
      .selectFrom(rows.as('t'))
      .select((eb) => [
        't.grp',
        eb.fn.count<number>('t.recipient_key').distinct().as('targeted'),
        eb.fn.count<number>('t.original_sha256').distinct().as('messages'),
      ])
      .groupBy('t.grp')
      .execute();
  }

  /** Distinct phishing messages per day of first receipt, each in its highest group: leaked, rest, outside. */
  phishingPerDay(incidentId: string, range: ReceivedRange) {
    // One pass over the recipients, ranked, then the best rank per message: no correlated subquery.
    const ranked = this.db
      .selectFrom('inbound_recipient as r')
      .innerJoin('inbound_message as m', 'm.id', 'r.message_id')
      .select((eb) => [
        'r.message_id',
        'm.original_sha256',
        sql<string>`substr(m.received_at, 1, 10)`.as('day'),
        eb
          .case()
          .when(eb('r.recipient_key', 'in', this.leakedKeys(incidentId)))
          .then(sql.lit(3))
          .when(eb('r.recipient_key', 'in', this.directoryKeys()))
          .then(sql.lit(2))
          .else(sql.lit(1))
          .end()
          .as('rank'),
      ])
      .where('m.verdict', '=', 'phishing')
      .where((eb) => inRange(eb.ref('m.received_at'), range));
    const perMessage = this.db
      .selectFrom(ranked.as('t'))
      .select((eb) => ['t.original_sha256', 't.day', eb.fn.max('t.rank').as('rank')])
      .groupBy(['t.message_id', 't.original_sha256', 't.day']);
    return this.db
      .selectFrom(perMessage.as('p'))
      .select((eb) => [
        'p.day',
        eb
          .case()
          .when('p.rank', '=', sql.lit(3))
          .then('leaked')
          .when('p.rank', '=', sql.lit(2))
          .then('rest')
          .else('outside')
          .end()
          .as('grp'),
        eb.fn.count<number>('p.original_sha256').distinct().as('messages'),
      ])
      .groupBy(['p.day', 'p.rank'])
      .orderBy('p.day')
      .execute();
  }

  /** How many messages of each kind and verdict arrived in the range, duplicates not included. */
  verdictCounts(range: ReceivedRange) {
    return this.db
      .selectFrom('inbound_message')
      .select(['kind', 'verdict', (eb) => eb.fn.countAll<number>().as('n')])
      .where((eb) => inRange(eb.ref('received_at'), range))
      .groupBy(['kind', 'verdict'])
      .execute();
  }
}

function inRange(column: Expression<string>, { since, until }: ReceivedRange): Expression<SqlBool> {
  const conditions = [sql<boolean>`1 = 1`];
  if (since !== null) conditions.push(sql<boolean>`${column} >= ${since}`);
  if (until !== null) conditions.push(sql<boolean>`${column} < ${until}`);
  return sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
}
