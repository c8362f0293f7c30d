import { Migrator, type Kysely, type Migration } from 'kysely';
import type { DialectName } from './database.js';
import { initialSchema } from './migrations/001-initial-schema.js';
import { accessControl } from './migrations/007-access-control.js';

/** Migrations are code, keyed by a sortable name, and run on every start. */
export function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    '001-initial-schema': initialSchema(dialect),
    '007-access-control': accessControl(dialect),
  };
}

export async function migrateToLatest<DB>(db: Kysely<DB>, dialect: DialectName): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations(dialect)) },
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
}
