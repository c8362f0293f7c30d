import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { statementCache } from '../../src/db/statement-cache.js';

// SQLite only: PostgreSQL's driver has no prepared statements to keep.
describe('SQLite statement cache', () => {
  function table() {
    const sqlite = new BetterSqlite3(':memory:');
    sqlite.exec('create table t (n integer)');
    sqlite.exec('insert into t values (1), (2), (3)');
    return sqlite;
  }

  it('prepares a SQL text once and answers with the rows of each run', () => {
    const sqlite = table();
    const cache = statementCache(sqlite);
    const first = cache.prepare('select n from t where n > ?');
    expect(cache.prepare('select n from t where n > ?')).toBe(first);
    expect(first.all([1])).toEqual([{ n: 2 }, { n: 3 }]);
    expect(cache.prepare('select n from t where n > ?').all([2])).toEqual([{ n: 3 }]);
  });

  it('hands out a fresh statement while the cached one is still being iterated', () => {
    const cache = statementCache(table());
    const text = 'select n from t order by n';
    const rows = cache.prepare(text).iterate([]);
    expect(rows.next().value).toEqual({ n: 1 });
    const again = cache.prepare(text);
    expect(again.all([])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect([...rows]).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('keeps only the most recently used texts', () => {
    const cache = statementCache(table(), 2);
    const one = cache.prepare('select 1');
    const two = cache.prepare('select 2');
    expect(cache.prepare('select 1')).toBe(one);
    cache.prepare('select 3');
    expect(cache.prepare('select 1')).toBe(one);
    expect(cache.prepare('select 2')).not.toBe(two);
  });

  it('sees a table created after a statement on it failed to prepare', () => {
    const sqlite = table();
    const cache = statementCache(sqlite);
    expect(() => cache.prepare('select * from later')).toThrow(/no such table/);
    sqlite.exec('create table later (x text)');
    expect(cache.prepare('select * from later').all([])).toEqual([]);
  });

  it('answers with the new columns after a migration altered the table', () => {
    const sqlite = table();
    const cache = statementCache(sqlite);
    expect(cache.prepare('select * from t where n = 1').all([])).toEqual([{ n: 1 }]);
    sqlite.exec("alter table t add column label text not null default 'one'");
    expect(cache.prepare('select * from t where n = 1').all([])).toEqual([{ n: 1, label: 'one' }]);
  });
});
