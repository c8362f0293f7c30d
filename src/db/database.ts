import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Insertable } from 'kysely';
import pg from 'pg';
import { UserError } from '../core/errors.js';
import { isPostgresUrl, redact } from '../core/redact.js';
import { migrateToLatest } from './migrations.js';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

/** Where the dialects differ, by name, with the reason. */
export interface DialectCapabilities {
  name: DialectName;
  /** Row locks let several workers claim disjoint outbox batches; SQLite has one writer anyway. */
  skipLocked: boolean;
  /**
   * After a bulk load the planner needs fresh statistics, or PostgreSQL joins a freshly filled
   * table by nested loops; SQLite's PRAGMA optimize analyzes only what needs it.
   */
  refreshStatistics(db: Kysely<Database>, tables: readonly (keyof Database)[]): Promise<void>;
  /**
   * After a purge, old row versions must not survive on disk: SQLite overwrites freed content
   * (secure_delete) and then empties its write-ahead log; PostgreSQL rewrites the tables.
   */
  reclaimPurged(db: Kysely<Database>, tables: readonly (keyof Database)[]): Promise<void>;
  /**
   * Loads many rows of one shape. On SQLite a cached prepared statement per row costs half of
   * Kysely's compile-per-batch; PostgreSQL gets multi-row INSERTs under its parameter limit.
   */
  bulkInsert<T extends keyof Database>(
    db: Kysely<Database>,
    table: T,
    rows: Insertable<Database[T]>[],
  ): Promise<void>;
}

export interface Store {
  db: Kysely<Database>;
  capabilities: DialectCapabilities;
  close(): Promise<void>;
}

export async function openStore(location: string): Promise<Store> {
  const store = isPostgresUrl(location) ? openPostgres(location) : openSqlite(location);
  try {
    await migrateToLatest(store.db, store.capabilities.name);
  } catch (error) {
    await store.close();
    throw new UserError(`cannot open database ${redact(location)}: ${(error as Error).message}`);
  }
  return store;
}

function openSqlite(path: string): Store {
  let sqlite: BetterSqlite3.Database;
  try {
    sqlite = new BetterSqlite3(path);
  } catch (error) {
    throw new UserError(`cannot open database ${path}: ${(error as Error).message}`);
  }
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Freed pages are zeroed, so a purged value does not linger in the file.
  sqlite.pragma('secure_delete = ON');
  sqlite.pragma('busy_timeout = 5000');
  const statements = new Map<string, BetterSqlite3.Statement>();
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const capabilities: DialectCapabilities = {
    name: 'sqlite',
    skipLocked: false,
    refreshStatistics: async (target) => {
      await sql`pragma optimize`.execute(target);
    },
    reclaimPurged: async (target) => {
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(target);
    },
    // The raw handle is the connection Kysely's transaction runs on, so these rows join it.
    bulkInsert: (_target, table, rows) => {
      if (rows.length === 0) return Promise.resolve();
      const columns = Object.keys(rows[0]!);
      const statement = preparedInsert(sqlite, statements, table, columns);
      for (const row of rows)
        statement.run(columns.map((column) => (row as Record<string, unknown>)[column]));
      return Promise.resolve();
    },
  };
  return { db, capabilities, close: () => db.destroy() };
}

function openPostgres(url: string): Store {
  // COUNT and SUM come back as bigint strings; every count here fits a JS number.
  pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the next query gets a fresh connection or a real error.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const capabilities: DialectCapabilities = {
    name: 'postgres',
    skipLocked: true,
    refreshStatistics: async (target, tables) => {
      await sql`analyze ${sql.join(tables.map((table) => sql.table(table)))}`.execute(target);
    },
    reclaimPurged: async (target, tables) => {
      await sql`vacuum full ${sql.join(tables.map((table) => sql.table(table)))}`.execute(target);
    },
    bulkInsert: async (target, table, rows) => {
      if (rows.length === 0) return;
      const perStatement = Math.max(1, Math.floor(POSTGRES_MAX_PARAMETERS / Object.keys(rows[0]!).length));
      for (let start = 0; start < rows.length; start += perStatement) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one generic table: Kysely cannot narrow it
        await (target as Kysely<any>)
          .insertInto(table)
          .values(rows.slice(start, start + perStatement))
          .execute();
      }
    },
  };
  return { db, capabilities, close: () => db.destroy() };
}

const POSTGRES_MAX_PARAMETERS = 65_535;

function preparedInsert(
  sqlite: BetterSqlite3.Database,
  cache: Map<string, BetterSqlite3.Statement>,
  table: string,
  columns: string[],
): BetterSqlite3.Statement {
  const key = `${table}(${columns.join(',')})`;
  let statement = cache.get(key);
  if (!statement) {
    const names = columns.map((column) => `"${column}"`).join(', ');
    statement = sqlite.prepare(
      `insert into "${table}" (${names}) values (${columns.map(() => '?').join(', ')})`,
    );
    cache.set(key, statement);
  }
  return statement;
}
