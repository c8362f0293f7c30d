import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { UserError } from '../core/errors.js';
import type { ColumnRows, DialectCapabilities, Store, TableName } from './database.js';
import type { Database } from './schema.js';
import { statementCache } from './statement-cache.js';

/**
 * The page cache, and also what each sort may hold in memory before it spills to a temp file
 * (SQLite sizes sorters by `cache_size`): one statement of the analysis runs three sorts at once,
 * and at 10 million records took 313 MB at 64 MB, 126 MB at 16. The files sit in the OS cache, so the
 * larger cache saved no CPU (docs/ingest-performance.md, "Memory of the analysis").
 */
const CACHE_KIB = 16_384;
const BULK_LOAD_CACHE_KIB = 8_192;

export function openSqlite(path: string): Store {
  let sqlite: BetterSqlite3.Database;
  try {
    sqlite = new BetterSqlite3(path);
  } catch (error) {
    throw new UserError(`cannot open database ${path}: ${(error as Error).message}`);
  }
  try {
    sqlite.pragma('journal_mode = WAL');
  } catch (error) {
    sqlite.close();
    throw (error as { code?: unknown }).code === 'SQLITE_BUSY' ? busyDatabase(path) : error;
  }
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Freed pages are zeroed, so a purged value does not linger in the file.
  sqlite.pragma('secure_delete = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma(`cache_size = -${CACHE_KIB}`);
  // Matching sorts and groups a million rows at a time: in memory those temp b-trees are unbounded,
  // on file they spill past the page cache.
  sqlite.pragma('temp_store = FILE');
  // PostgreSQL's BIT_OR, so one SQL text unions category masks on both dialects.
  sqlite.aggregate('bit_or', { start: 0, step: (union: number, mask: number | null) => union | (mask ?? 0) });
  const statements = new Map<string, PreparedInsert>();
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statementCache(sqlite) }) });
  const capabilities: DialectCapabilities = {
    name: 'sqlite',
    skipLocked: false,
    plansNeedRebuiltStatistics: false,
    dropsIndexesForBulkLoad: true,
    probesInKeyOrder: true,
    sortsJoinedInserts: false,
    fencesRepeatedProbes: false,
    antiJoinsKnownRows: false,
    joinsDistinctSets: false,
    refreshStatistics: async (target) => {
      await sql`pragma optimize`.execute(target);
    },
    reclaimPurged: async (target) => {
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(target);
    },
    // A write that changes nothing still takes the write lock, which is what it is for.
    serializeAuditAppends: async (target) => {
      await sql`update setting set value = value where name = 'audit_head'`.execute(target);
    },
    // The raw handle is the connection Kysely's transaction runs on, so these rows join it.
    bulkInsert: (_target, table, rows) => {
      insertColumns(sqlite, statements, table, rows);
      return Promise.resolve();
    },
    bulkLoad: (_target, work) =>
      throughRollbackJournal(sqlite, () =>
        whilePragma(sqlite, `cache_size = -${BULK_LOAD_CACHE_KIB}`, `cache_size = -${CACHE_KIB}`, work),
      ),
    roomForSorts: () => Promise.resolve(),
    // One helper thread sorts beside the main one while matching (one more run of the page cache's
    // size in memory): match + impact at a million records 16.2 -> 14.1 s, its peak up to 20 MB more.
    bulkRebuild: (_target, work) =>
      throughRollbackJournal(sqlite, () => whilePragma(sqlite, 'threads = 1', 'threads = 0', work)),
    // Keys are quoted in the path, so a dot in a key is part of the key, not a step.
    jsonText: (column, key) =>
      sql<string | null>`cast(json_extract(${sql.ref(column)}, ${`$."${key.replace(/"/g, '')}"`}) as text)`,
  };
  const store: Store = {
    db,
    capabilities,
    // One connection is all SQLite has.
    dedicated: (work) => work(store),
    close: () => db.destroy(),
  };
  return store;
}

/** A dataset import holds the database alone until it commits (`bulkLoad`): say so, and what to do. */
export function busyDatabase(location: string): UserError {
  return new UserError(
    `database ${location} is busy: another breachdesk command is writing to it (a dataset import holds it alone until it commits); run this again when that one ends`,
  );
}

/**
 * In WAL mode every page of a load is written twice: to the log, then by the checkpoint into the
 * database (a gigabyte each at a million records, a third of the load's CPU). A rollback journal
 * writes pages appended to the file once and journals only the few existing pages it changes; a
 * crash still leaves nothing (the next open rolls the hot journal back). Leaving WAL needs the
 * database to itself, so this is only done when no other connection has it open (it throws
 * "database is locked" at once otherwise, and the load stays in WAL). Until the commit, another
 * process cannot read it (in WAL it could; writing it, it cannot in either mode). `synchronous =
 * FULL` meanwhile: in a rollback journal, NORMAL would risk the file on power loss.
 */
function enterRollbackJournal(sqlite: BetterSqlite3.Database): boolean {
  if (sqlite.pragma('journal_mode', { simple: true }) !== 'wal') return false;
  try {
    if (sqlite.pragma('journal_mode = DELETE', { simple: true }) !== 'delete') return false;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return false;
    throw error;
  }
  sqlite.pragma('synchronous = FULL');
  return true;
}

/** Runs `work` in a rollback journal when the database can be had alone (see `enterRollbackJournal`), then back to WAL. */
async function throughRollbackJournal<T>(sqlite: BetterSqlite3.Database, work: () => Promise<T>): Promise<T> {
  const journal = enterRollbackJournal(sqlite);
  try {
    return await work();
  } finally {
    if (journal) leaveRollbackJournal(sqlite);
  }
}

/** Runs `work` with a connection setting changed, and sets it back however `work` ends. */
async function whilePragma<T>(
  sqlite: BetterSqlite3.Database,
  during: string,
  after: string,
  work: () => Promise<T>,
): Promise<T> {
  sqlite.pragma(during);
  try {
    return await work();
  } finally {
    sqlite.pragma(after);
  }
}

/** Back to WAL; another connection that opened since the commit has already switched it back. */
function leaveRollbackJournal(sqlite: BetterSqlite3.Database): void {
  sqlite.pragma('synchronous = NORMAL');
  try {
    sqlite.pragma('journal_mode = WAL');
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
  }
}

/**
 * Rows per multi-row INSERT (a record's 10 varying columns make 1,280 parameters, far below
 * SQLite's 32,766): 128 took 9 % less CPU than 48 once constant columns were bound once, 256 more.
 */
const ROWS_PER_STATEMENT = 128;

interface PreparedInsert {
  statement: BetterSqlite3.Statement;
  /** Reused for every run of the statement: one array per run, not one per row. */
  parameters: unknown[];
}

function insertColumns<T extends TableName>(
  sqlite: BetterSqlite3.Database,
  cache: Map<string, PreparedInsert>,
  table: T,
  rows: ColumnRows<T>,
): void {
  if (rows.count === 0) return;
  const names = Object.keys(rows.columns);
  const values = Object.values<unknown>(rows.columns);
  const perRow = values.map((column) => Array.isArray(column));
  // Text given as bytes is bound as a blob and cast: SQLite stores the same text.
  const bytes = values.map(
    (column) => Array.isArray(column) && column.some((value) => value instanceof Uint8Array),
  );
  const columns = values.filter((_, c) => perRow[c]) as unknown[][];
  // A value the same on every row is bound once per statement, by name, not once per row.
  const constants: Record<string, unknown> = {};
  values.forEach((value, c) => {
    if (!perRow[c]) constants[`k${c}`] = value;
  });
  const run = (insert: PreparedInsert, first: number, count: number) => {
    const { parameters } = insert;
    let k = 0;
    for (let row = first; row < first + count; row++) {
      for (let c = 0; c < columns.length; c++) parameters[k++] = columns[c]![row];
    }
    insert.statement.run(parameters, constants);
  };
  let row = 0;
  // The rows past the last full statement go in halving statements (64, 32, …, 1), not one by one.
  for (let size = ROWS_PER_STATEMENT; size >= 1 && row < rows.count; size >>= 1) {
    if (row + size > rows.count) continue;
    const insert = preparedInsert(sqlite, cache, table, names, perRow, bytes, size);
    for (; row + size <= rows.count; row += size) run(insert, row, size);
  }
}

function preparedInsert(
  sqlite: BetterSqlite3.Database,
  cache: Map<string, PreparedInsert>,
  table: string,
  columns: string[],
  perRow: boolean[],
  bytes: boolean[],
  rows: number,
): PreparedInsert {
  const parameter = (c: number) => (!perRow[c] ? `@k${c}` : bytes[c] ? 'cast(? as text)' : '?');
  const key = `${table}(${columns.map((column, c) => `${column}:${parameter(c)}`).join(',')})x${rows}`;
  let insert = cache.get(key);
  if (!insert) {
    const names = columns.map((column) => `"${column}"`).join(', ');
    const tuple = `(${columns.map((_, c) => parameter(c)).join(', ')})`;
    const statement = sqlite.prepare(
      `insert into "${table}" (${names}) values ${Array.from({ length: rows }, () => tuple).join(', ')}`,
    );
    const bound = perRow.filter(Boolean).length;
    insert = { statement, parameters: new Array<unknown>(bound * rows) };
    cache.set(key, insert);
  }
  return insert;
}
