import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * The SQLite handle Kysely runs on, with each SQL text prepared once: Kysely prepares every query
 * afresh, and at a million people that parsing and planning was a fifth of a person search's CPU.
 * The most recently used `size` statements are kept (an `in` list of another length is another
 * text); a statement still being iterated is never handed out twice.
 */
export function statementCache(sqlite: BetterSqlite3.Database, size = 256): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string): SqliteStatement {
      const cached = statements.get(text);
      if (cached && !cached.busy) {
        // Re-inserted so that the Map's order is the order of last use.
        statements.delete(text);
        statements.set(text, cached);
        return cached;
      }
      const statement = sqlite.prepare(text);
      if (cached) return statement;
      statements.set(text, statement);
      if (statements.size > size) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}
