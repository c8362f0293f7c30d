import type { Kysely, Selectable } from 'kysely';
import type { Database, VendorTable } from './schema.js';

export type VendorRow = Selectable<VendorTable>;

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
}
