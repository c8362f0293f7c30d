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
}
