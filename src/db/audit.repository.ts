import type { Insertable, Kysely } from 'kysely';
import type { AuditEntryTable, Database } from './schema.js';

export class AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async append(entry: Insertable<AuditEntryTable>): Promise<void> {
    await this.db.insertInto('audit_entry').values(entry).execute();
  }

  listForIncident(incidentId: string) {
    return this.db
      .selectFrom('audit_entry')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('id')
      .execute();
  }

  /** Newest first, before an id (keyset pages), optionally of one incident. */
  page(options: { incidentId?: string | undefined; beforeId?: number | undefined; limit: number }) {
    let query = this.db.selectFrom('audit_entry').selectAll();
    if (options.incidentId !== undefined) query = query.where('incident_id', '=', options.incidentId);
    if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId);
    return query.orderBy('id', 'desc').limit(options.limit).execute();
  }
}
