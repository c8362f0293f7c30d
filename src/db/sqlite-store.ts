import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { UserError } from '../core/errors.js';
import type { DialectCapabilities, Store } from './database.js';
import type { Database } from './schema.js';
import { statementCache } from './statement-cache.js';

export function openSqlite(path: string): Store {
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
  // Keyed hashes are random keys: index inserts at millions of rows thrash the default 2 MB cache;
  // 64 MB keeps them in memory without pushing the process past its memory budget.
  sqlite.pragma('cache_size = -65536');
  // Matching sorts and groups a million rows at a time: in memory those temp b-trees are unbounded,
  // on file they spill past the page cache.
  sqlite.pragma('temp_store = FILE');
  // PostgreSQL's BIT_OR, so one SQL text unions category masks on both dialects.
  sqlite.aggregate('bit_or', { start: 0, step: (union: number, mask: number | null) => union | (mask ?? 0) });
  const statements = new Map<string, BetterSqlite3.Statement>();
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statementCache(sqlite) }) });
  const capabilities: DialectCapabilities = {
    name: 'sqlite',
    skipLocked: false,
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
      if (rows.length === 0) return Promise.resolve();
      const columns = Object.keys(rows[0]!);
      const statement = preparedInsert(sqlite, statements, table, columns);
      for (const row of rows)
        statement.run(columns.map((column) => (row as Record<string, unknown>)[column]));
      return Promise.resolve();
    },
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
