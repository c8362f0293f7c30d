import { Migrator } from 'kysely';
import type { DialectName, Store } from '../../src/db/database.js';
import { migrations } from '../../src/db/migrations.js';
import { openPostgres } from '../../src/db/postgres-store.js';
import { openSqlite } from '../../src/db/sqlite-store.js';
import { freshDatabase, type TestDatabase } from './databases.js';

/**
 * A fresh database migrated up to (not including) `migration`, opened without migrating further:
 * rows written through `old` are what a database of that age held; `openStore` then migrates it.
 */
export async function migratedBefore(
  dialect: DialectName,
  migration: string,
): Promise<{ database: TestDatabase; old: Store }> {
  const database = await freshDatabase(dialect);
  const old = dialect === 'sqlite' ? openSqlite(database.location) : openPostgres(database.location);
  const before = Object.fromEntries(Object.entries(migrations(dialect)).filter(([name]) => name < migration));
  const { error } = await new Migrator({
    db: old.db,
    provider: { getMigrations: () => Promise.resolve(before) },
  }).migrateToLatest();
  if (error !== undefined) throw new Error(`migrating to ${migration} failed`, { cause: error });
  return { database, old };
}
