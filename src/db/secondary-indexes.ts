import { sql, type Kysely } from 'kysely';
import type { DialectCapabilities } from './database.js';
import type { Database } from './schema.js';

/**
 * SQLite, for a bulk load: drops the tables' secondary indexes (random keys, which outgrow the page
 * cache at a million rows and turn each insert into page reads) and returns their definitions, to
 * build each once, by sorting, at the end. Nothing on PostgreSQL, where dropping an index would
 * lock every reader of the table out until the load commits.
 */
export async function dropSecondaryIndexes(
  db: Kysely<Database>,
  capabilities: DialectCapabilities,
  tables: readonly string[],
): Promise<string[]> {
  if (!capabilities.dropsIndexesForBulkLoad) return [];
  const { rows } = await sql<{ name: string; sql: string }>`
    select name, sql from sqlite_master
     where type = 'index' and sql is not null and tbl_name in (${sql.join(tables)})
     order by rowid`.execute(db);
  for (const row of rows) await sql`drop index ${sql.id(row.name)}`.execute(db);
  return rows.map((row) => row.sql);
}

export async function restoreIndexes(db: Kysely<Database>, definitions: readonly string[]): Promise<void> {
  for (const definition of definitions) await sql.raw(definition).execute(db);
}
