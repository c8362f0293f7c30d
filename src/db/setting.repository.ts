import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export class SettingRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(name: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('setting')
      .select('value')
      .where('name', '=', name)
      .executeTakeFirst();
    return row?.value;
  }

  /** Sets a value only if none is set yet; the first writer wins. */
  async putIfAbsent(name: string, value: string): Promise<void> {
    await this.db
      .insertInto('setting')
      .values({ name, value })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  }
}
