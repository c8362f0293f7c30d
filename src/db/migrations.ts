import { Migrator, type Kysely, type Migration } from 'kysely';
import type { DialectName } from './database.js';
import { initialSchema } from './migrations/001-initial-schema.js';
import { incidentRecord } from './migrations/002-incident-record.js';
import { personLocation } from './migrations/004-person-location.js';
import { ingestIndexes } from './migrations/008-ingest-indexes.js';

/** Migrations are code, keyed by a sortable name, and run on every start. */
export function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    '001-initial-schema': initialSchema(dialect),
    '002-incident-record': incidentRecord(dialect),
    '004-person-location': personLocation(),
    '008-ingest-indexes': ingestIndexes(),
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
