import type { Kysely, Selectable } from 'kysely';
import type { Database, IncidentTable } from './schema.js';

export type IncidentRow = Selectable<IncidentTable>;

export class IncidentRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(incident: IncidentRow): Promise<void> {
    await this.db.insertInto('incident').values(incident).execute();
  }

  findById(id: string): Promise<IncidentRow | undefined> {
    return this.db.selectFrom('incident').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async setStatus(id: string, status: string): Promise<void> {
    await this.db.updateTable('incident').set({ status }).where('id', '=', id).execute();
  }

  async setAwareAt(id: string, awareAt: string): Promise<void> {
    await this.db.updateTable('incident').set({ aware_at: awareAt }).where('id', '=', id).execute();
  }

  listWithVendor() {
    return this.db
      .selectFrom('incident')
      .innerJoin('vendor', 'vendor.id', 'incident.vendor_id')
      .select([
        'incident.id',
        'incident.title',
        'incident.status',
        'incident.opened_at',
        'vendor.name as vendor',
      ])
      .orderBy('incident.opened_at', 'desc')
      .execute();
  }
}
