import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Database, VendorStatusChangeTable, VendorTable } from './schema.js';

export type VendorRow = Selectable<VendorTable>;
export type VendorStatusChangeRow = Selectable<VendorStatusChangeTable>;

export class VendorRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(vendor: VendorRow): Promise<void> {
    await this.db.insertInto('vendor').values(vendor).execute();
  }

  findByName(name: string): Promise<VendorRow | undefined> {
    return this.db.selectFrom('vendor').selectAll().where('name', '=', name).executeTakeFirst();
  }

  findById(id: string): Promise<VendorRow | undefined> {
    return this.db.selectFrom('vendor').selectAll().where('id', '=', id).executeTakeFirst();
  }

  list(): Promise<VendorRow[]> {
    return this.db.selectFrom('vendor').selectAll().orderBy('name').execute();
  }

  async update(id: string, changes: Updateable<VendorTable>): Promise<void> {
    await this.db.updateTable('vendor').set(changes).where('id', '=', id).execute();
  }

  async insertStatusChange(change: VendorStatusChangeRow): Promise<void> {
    await this.db.insertInto('vendor_status_change').values(change).execute();
  }

  /** The vendor's statuses in the order they took effect. */
  statusHistory(vendorId: string): Promise<VendorStatusChangeRow[]> {
    return this.db
      .selectFrom('vendor_status_change')
      .selectAll()
      .where('vendor_id', '=', vendorId)
      .orderBy('at')
      .orderBy('recorded_at')
      .execute();
  }
}
