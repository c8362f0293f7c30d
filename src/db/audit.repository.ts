import type { Insertable, Kysely, Selectable } from 'kysely';
import type { ChainHead } from '../core/audit-chain.js';
import type { DialectCapabilities } from './database.js';
import type { AuditEntryTable, Database } from './schema.js';

export type AuditEntryRow = Selectable<AuditEntryTable>;

/** The setting that keeps the newest entry's id and hash, so a cut-off tail shows. */
const HEAD = 'audit_head';

export class AuditRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly capabilities: DialectCapabilities,
  ) {}

  /** Serializes appends until the transaction ends; outside one the lock would end at once. */
  async lockChain(): Promise<void> {
    if (!this.db.isTransaction) throw new Error('audit entries are appended inside a transaction');
    await this.capabilities.serializeAuditAppends(this.db);
  }

  async head(): Promise<ChainHead | null> {
    const row = await this.db
      .selectFrom('setting')
      .select('value')
      .where('name', '=', HEAD)
      .executeTakeFirst();
    return row ? (JSON.parse(row.value) as ChainHead) : null;
  }

  async setHead(head: ChainHead): Promise<void> {
    await this.db
      .insertInto('setting')
      .values({ name: HEAD, value: JSON.stringify(head) })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: JSON.stringify(head) }))
      .execute();
  }

  async append(entry: Insertable<AuditEntryTable>): Promise<number> {
    const row = await this.db
      .insertInto('audit_entry')
      .values(entry)
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  listForIncident(incidentId: string) {
    return this.db
      .selectFrom('audit_entry')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('id')
      .execute();
  }

  /** One page of the log in id order, all of it or one incident's. */
  page(afterId: number, limit: number, incidentId: string | null): Promise<AuditEntryRow[]> {
    let query = this.db.selectFrom('audit_entry').selectAll().where('id', '>', afterId);
    if (incidentId !== null) query = query.where('incident_id', '=', incidentId);
    return query.orderBy('id').limit(limit).execute();
  }

  /** Newest first, before an id (keyset pages), optionally of one incident. */
  newestFirst(options: { incidentId?: string | undefined; beforeId?: number | undefined; limit: number }) {
    let query = this.db.selectFrom('audit_entry').selectAll();
    if (options.incidentId !== undefined) query = query.where('incident_id', '=', options.incidentId);
    if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId);
    return query.orderBy('id', 'desc').limit(options.limit).execute();
  }
}
