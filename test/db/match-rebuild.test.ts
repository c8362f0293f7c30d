import { existsSync, statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestApp, openTestIncident, profiles, type TestApp } from '../support/test-app.js';

/** Bytes in the write-ahead log: pages a transaction wrote through it stay there until a checkpoint truncates it. */
function walBytes(location: string): number {
  return existsSync(`${location}-wal`) ? statSync(`${location}-wal`).size : 0;
}

const PAGES_OF_THE_COUNT = 8 * 4096;

async function incidentWithPeople(app: TestApp, count: number): Promise<string> {
  const accounts = ['id,email'];
  for (let i = 0; i < count; i++) accounts.push(`u${i},person.${i}@example.test`);
  await app.directory.import({ accounts: app.write('accounts.csv', `${accounts.join('\n')}\n`) });
  const incidentId = await openTestIncident(app);
  const rows = Array.from({ length: count }, (_, i) => ({
    $distinct_id: `u${i}`,
    $properties: { org_id: `o${i % 9}` },
  }));
  await app.datasets.import({
    incidentId,
    path: app.write('people.ndjson', profiles(...rows)),
    format: 'auto',
  });
  // Empty the log the directory left, so what follows is matching's alone.
  const other = new BetterSqlite3(app.config.db);
  other.pragma('wal_checkpoint(TRUNCATE)');
  other.close();
  return incidentId;
}

describe('rebuilding the matches on SQLite', () => {
  it('writes through a rollback journal when it has the database alone, and leaves it in WAL', async () => {
    const app = await createTestApp('sqlite');
    const incidentId = await incidentWithPeople(app, 5_000);
    expect(walBytes(app.config.db)).toBe(0);
    expect(await app.impact.analyze(incidentId)).toMatchObject({ people: { total: 5_000, matched: 5_000 } });
    // The few pages of the stored count, written after the rebuild, and none of the rebuild's.
    expect(walBytes(app.config.db)).toBeLessThan(PAGES_OF_THE_COUNT);
    const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(app.store.db);
    expect(rows[0]?.journal_mode).toBe('wal');
    const { rows: check } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(
      app.store.db,
    );
    expect(check).toEqual([{ integrity_check: 'ok' }]);
  });

  it('stays in WAL while another connection has the database open, which reads the last commit throughout', async () => {
    const app = await createTestApp('sqlite');
    const incidentId = await incidentWithPeople(app, 5_000);
    const reader = new BetterSqlite3(app.config.db, { readonly: true });
    try {
      const people = () => (reader.prepare('select count(*) as n from person').get() as { n: number }).n;
      expect(people()).toBe(0);
      expect(await app.impact.analyze(incidentId)).toMatchObject({ people: { total: 5_000 } });
      expect(walBytes(app.config.db)).toBeGreaterThan(100 * PAGES_OF_THE_COUNT);
      expect(people()).toBe(5_000);
      expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      reader.close();
    }
  });
});
