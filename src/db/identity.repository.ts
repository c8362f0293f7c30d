import type { Kysely, Selectable } from 'kysely';
import type { Database, IdentityEntryTable } from './schema.js';

export type IdentityEntryRow = Selectable<IdentityEntryTable>;

export class IdentityRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(): Promise<IdentityEntryRow[]> {
    return this.db.selectFrom('identity_entry').selectAll().orderBy('kind').orderBy('position').execute();
  }

  async deleteKind(kind: IdentityEntryRow['kind']): Promise<void> {
    await this.db.deleteFrom('identity_entry').where('kind', '=', kind).execute();
  }

  async insertMany(rows: IdentityEntryRow[]): Promise<void> {
    if (rows.length > 0) await this.db.insertInto('identity_entry').values(rows).execute();
  }
}
