import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { DEFAULT_COMPANY } from '../../src/config.js';
import { BIN } from '../support/cli.js';
import { testDialects } from '../support/databases.js';
import { TEST_KEY, createTestApp, openTestIncident } from '../support/test-app.js';

const LOADED_TABLES = ['exposed_record', 'exposed_value', 'record_organization', 'quarantined_row'] as const;

/** `count` profiles, each with a field no mapping knows, so `--strict` refuses them after the load. */
function manyProfiles(count: number): string {
  const lines: string[] = [];
  for (let i = 1; i <= count; i++) {
    lines.push(
      JSON.stringify({
        $distinct_id: `u${i}`,
        $properties: {
          $email: `person.${i}@example.test`,
          $name: `Person ${i}`,
          org_id: [`org-a${i % 50}`, `org-b${i % 7}`],
          favourite_colour: 'x'.repeat(200),
        },
      }),
    );
  }
  return `${lines.join('\n')}\n{broken\n`;
}

async function loadedRows(app: App): Promise<number[]> {
  const counts: number[] = [];
  for (const table of ['dataset', ...LOADED_TABLES] as const) {
    const row = await app.store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts.push(Number(row.n));
  }
  return counts;
}

describe.each(testDialects())("a dataset import's one transaction on %s", (dialect) => {
  it('leaves nothing written when it is refused after every row was inserted', async () => {
    const app = await createTestApp(dialect);
    const id = await openTestIncident(app);
    const path = app.write('p.ndjson', manyProfiles(20_000));
    await expect(
      app.datasets.import({ incidentId: id, path, format: 'auto', strict: true, threads: 1 }),
    ).rejects.toThrow(/--strict: 1 fields have no category \(favourite_colour\)/);
    expect(await loadedRows(app)).toEqual([0, 0, 0, 0, 0]);
    const result = await app.datasets.import({ incidentId: id, path, format: 'auto', threads: 1 });
    expect(result).toMatchObject({ read: 20_001, valid: 20_000, quarantined: 1 });
    const [datasets, records, blocks, organizations, quarantined] = await loadedRows(app);
    expect({ datasets, records, organizations, quarantined }).toEqual({
      datasets: 1,
      records: 20_000,
      organizations: 40_000,
      quarantined: 1,
    });
    expect(blocks).toBeGreaterThan(0);
  });
});

describe('a dataset import on SQLite', () => {
  it('loads through a rollback journal when it has the database alone, and leaves it in WAL', async () => {
    const app = await createTestApp('sqlite');
    const id = await openTestIncident(app);
    const path = app.write('p.ndjson', manyProfiles(20_000));
    const location = app.config.db;
    const journals = new Set<boolean>();
    await app.datasets.import({
      incidentId: id,
      path,
      format: 'auto',
      threads: 0,
      onProgress: () => journals.add(existsSync(`${location}-journal`)),
    });
    expect(journals).toContain(true);
    expect(existsSync(`${location}-journal`)).toBe(false);
    const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(app.store.db);
    expect(rows[0]?.journal_mode).toBe('wal');
    const { rows: check } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(
      app.store.db,
    );
    expect(check).toEqual([{ integrity_check: 'ok' }]);
  });

  it('stays in WAL while another connection has the database open, which reads on throughout', async () => {
    const app = await createTestApp('sqlite');
    const id = await openTestIncident(app);
    const path = app.write('p.ndjson', manyProfiles(20_000));
    const reader = new BetterSqlite3(app.config.db, { readonly: true });
    try {
      const count = () =>
        (reader.prepare('select count(*) as n from exposed_record').get() as { n: number }).n;
      // As an open app's connection would have: reading maps the WAL, which keeps it in WAL mode.
      const seen: number[] = [count()];
      await app.datasets.import({
        incidentId: id,
        path,
        format: 'auto',
        threads: 0,
        onProgress: () => seen.push(count()),
      });
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((n) => n === 0)).toBe(true);
      expect(count()).toBe(20_000);
      expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      reader.close();
    }
  });

  it('leaves nothing written when the process is killed in the middle of the load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'breachdesk-crash-'));
    const location = join(dir, 'bd.db');
    const config = {
      db: location,
      actor: 'tester',
      company: DEFAULT_COMPANY,
      key: { envKey: TEST_KEY, keyFile: '/nonexistent' },
    };
    const setup = await createApp({ config });
    const id = await openTestIncident(setup);
    await setup.close();
    const path = join(dir, 'p.ndjson');
    writeFileSync(path, manyProfiles(100_000));
    const before = statSync(location).size;

    const child = spawn(
      process.execPath,
      [BIN, '--db', location, 'dataset', 'import', id, path, '--threads', '0'],
      {
        env: { ...process.env, BREACHDESK_KEY: TEST_KEY },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // Killed once pages are written into the database file itself, past the journal's record of its size.
    let grew = false;
    for (let i = 0; i < 600 && !grew && child.exitCode === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      grew = existsSync(`${location}-journal`) && statSync(location).size > before + 16 * 1024 * 1024;
    }
    child.kill('SIGKILL');
    await exited;
    expect(grew).toBe(true);

    const app = await createApp({ config });
    try {
      expect(await loadedRows(app)).toEqual([0, 0, 0, 0, 0]);
      const { rows } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(app.store.db);
      expect(rows).toEqual([{ integrity_check: 'ok' }]);
      expect(statSync(location).size).toBe(before);
      expect(existsSync(`${location}-journal`)).toBe(false);
      const result = await app.datasets.import({ incidentId: id, path, format: 'auto', threads: 0 });
      expect(result.valid).toBe(100_000);
    } finally {
      await app.close();
    }
  });
});
