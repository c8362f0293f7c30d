import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/database.js';
import { freshDatabase, testDialects } from '../support/databases.js';

describe.each(testDialects())("the matching's room for sorts on %s", (dialect) => {
  it('gives sorts more memory for the transaction only, on PostgreSQL; on SQLite nothing changes', async () => {
    const database = await freshDatabase(dialect);
    const store = await openStore(database.location);
    try {
      const setting = async (db: typeof store.db) =>
        dialect === 'postgres'
          ? (await sql<{ work_mem: string }>`show work_mem`.execute(db)).rows[0]?.work_mem
          : (await sql<{ cache_size: number }>`pragma cache_size`.execute(db)).rows[0]?.cache_size;
      const before = await setting(store.db);
      const inside = await store.db.transaction().execute(async (trx) => {
        await store.capabilities.roomForSorts(trx);
        return setting(trx);
      });
      expect(inside).toBe(dialect === 'postgres' ? '64MB' : before);
      expect(await setting(store.db)).toBe(before);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
