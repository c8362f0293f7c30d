import type { Insertable, Kysely, RawBuilder } from 'kysely';
import { UserError } from '../core/errors.js';
import { isPostgresUrl, redact } from '../core/redact.js';
import { migrateToLatest } from './migrations.js';
import type { Database } from './schema.js';
import { busyDatabase, openSqlite } from './sqlite-store.js';

export type DialectName = 'sqlite' | 'postgres';
export type TableName = keyof Database;

/** Where the dialects differ, by name, with the reason. */
export interface DialectCapabilities {
  name: DialectName;
  /** Row locks let several workers claim disjoint outbox batches; SQLite has one writer anyway. */
  skipLocked: boolean;
  /**
   * A table rebuilt inside a transaction needs fresh statistics before the next statement reads it:
   * PostgreSQL plans on the old ones (an empty table's, on a first match); SQLite's plans for
   * matching do not depend on them.
   */
  plansNeedRebuiltStatistics: boolean;
  /**
   * A bulk directory load may drop secondary indexes and build each once at the end: on SQLite
   * (random keyed hashes outgrow the page cache); not on PostgreSQL, where dropping an index locks
   * every reader of the table out until the import commits.
   */
  dropsIndexesForBulkLoad: boolean;
  /**
   * Rows that probe an index one by one are sorted by the probed key first: SQLite walks a B-tree
   * per probe, and in key order the pages it needs are the ones its small cache just read (at 1M
   * records the probe took half the time, sort included). PostgreSQL hash-joins instead.
   */
  probesInKeyOrder: boolean;
  /**
   * An insert of joined rows reaches the target's b-tree in key order unsorted on SQLite (its nested
   * loops walk the outer table's key); PostgreSQL hash-joins them in no order, and sorting them first
   * is cheaper than writing the b-tree at random: memberships' organizations at 1M, 13.9 → 7.2 s.
   */
  sortsJoinedInserts: boolean;
  /**
   * A subquery whose correlated probe several outer expressions read is fenced (`offset 0`) so the
   * probe runs once per row: PostgreSQL pulls the subquery up and repeats it in each expression
   * (matching's email probe five times over: 6.3 → 6.0 s at 1M). SQLite gains nothing (it would
   * need `limit -1`).
   */
  fencesRepeatedProbes: boolean;
  /**
   * An insert whose rows are mostly there already leaves them out by an anti-join (`not exists`)
   * before `on conflict` would probe the b-tree for each: PostgreSQL anti-joins them all at once,
   * merging (records' organizations at 1M, 828,233 of 840,595 pairs known: 4.1 → 2.4 s). SQLite's nested loop would
   * probe the same index once more for each row it writes.
   */
  antiJoinsKnownRows: boolean;
  /**
   * A filter by a common table expression's rows that are distinct already (a `union`) is written
   * as a join to them: PostgreSQL has no statistics for such rows, guesses a semi-join's at 200
   * distinct values and probes an index for each (impact's admins at 1M: `totals` 4.2 → 3.3 s).
   * SQLite then loops over the set and probes for each instead (2.4 → 7.1 s): it keeps `in`.
   */
  joinsDistinctSets: boolean;
  /**
   * After a bulk load the planner needs fresh statistics, or PostgreSQL joins a freshly filled
   * table by nested loops; SQLite's PRAGMA optimize analyzes only what needs it.
   */
  refreshStatistics(db: Kysely<Database>, tables: readonly TableName[]): Promise<void>;
  /**
   * After a purge, old row versions must not survive on disk: SQLite overwrites freed content
   * (secure_delete) and then empties its write-ahead log; PostgreSQL rewrites the tables.
   */
  reclaimPurged(db: Kysely<Database>, tables: readonly TableName[]): Promise<void>;
  /**
   * Loads many rows of one table, given a column at a time. SQLite runs cached prepared statements
   * of many rows each (a third of the cost of one per row, a sixth of Kysely's compile-per-batch);
   * PostgreSQL streams COPY on a dedicated connection and falls back to multi-row INSERTs elsewhere.
   */
  bulkInsert<T extends TableName>(db: Kysely<Database>, table: T, rows: ColumnRows<T>): Promise<void>;
  /**
   * Runs the one transaction of a bulk load of rows appended in key order (`work` opens it: SQLite
   * can only change its journal outside one). SQLite shrinks its page cache meanwhile: the pages
   * such a load dirties are written by the commit anyway, and a large cache only holds them in
   * memory until then (part of a process's peak); and, when no other connection has the database
   * open, it loads through a rollback journal instead of the WAL, which writes every page twice.
   */
  bulkLoad<T>(db: Kysely<Database>, work: () => Promise<T>): Promise<T>;
  /**
   * Runs the one transaction of a rebuild of many derived rows (matching; `work` opens it). SQLite
   * goes through a rollback journal when no other connection has the database open, as `bulkLoad`,
   * but keeps its page cache (matching probes the directory), and sorts with one helper thread.
   */
  bulkRebuild<T>(db: Kysely<Database>, work: () => Promise<T>): Promise<T>;
  /**
   * Inside the rebuild's transaction, gives its sorts room: PostgreSQL's default `work_mem` (4 MB)
   * spilled every sort of a million rows to disk (SET LOCAL ends with the transaction). Nothing on
   * SQLite: it sizes sorts by the page cache, kept small, and its helper thread for sorts is a
   * connection setting, which `bulkRebuild` sets and takes back around the transaction.
   */
  roomForSorts(db: Kysely<Database>): Promise<void>;
  /**
   * Holds every other audit append off until this transaction ends, or two writers chain onto the
   * same head and fork it: PostgreSQL takes a transaction-scoped advisory lock; SQLite has one
   * writer, and taking its write lock before the head is read keeps another process from
   * committing in between.
   */
  serializeAuditAppends(db: Kysely<Database>): Promise<void>;
  /**
   * One key of a JSON object stored as text, as text (null when absent), the key bound as a
   * parameter: SQLite's json_extract takes a path, PostgreSQL's ->> a key of jsonb.
   */
  jsonText(column: string, key: string): RawBuilder<string | null>;
}

/**
 * `count` rows of one table, a column at a time, with no object per row: an array holds the
 * column's value on each row, a single value is the same on every row. A text column's values
 * may come as their UTF-8 bytes (`Uint8Array`), stored as the same text.
 */
export interface ColumnRows<T extends TableName> {
  count: number;
  columns: {
    [K in keyof Insertable<Database[T]>]?:
      | readonly (Insertable<Database[T]>[K] | TextBytes<Insertable<Database[T]>[K]>)[]
      | Insertable<Database[T]>[K];
  };
}

/** A text column's value may also be given as its UTF-8 bytes. */
type TextBytes<V> = string extends V ? Uint8Array : never;

export interface Store {
  db: Kysely<Database>;
  capabilities: DialectCapabilities;
  /** Runs work on a connection of its own, where a bulk load can stream (COPY on PostgreSQL). */
  dedicated<T>(work: (store: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openStore(location: string): Promise<Store> {
  // pg loads only for a PostgreSQL URL: a SQLite process need not carry it.
  const store = isPostgresUrl(location)
    ? (await import('./postgres-store.js')).openPostgres(location)
    : openSqlite(location);
  try {
    await migrateToLatest(store.db, store.capabilities.name);
  } catch (error) {
    await store.close();
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') throw busyDatabase(location);
    throw new UserError(`cannot open database ${redact(location)}: ${(error as Error).message}`);
  }
  return store;
}
