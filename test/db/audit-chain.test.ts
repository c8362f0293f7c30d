import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Migrator, sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { auditEntryHash, GENESIS_HASH } from '../../src/core/audit-chain.js';
import { DEFAULT_COMPANY } from '../../src/config.js';
import { isPostgresUrl } from '../../src/core/redact.js';
import type { Database } from '../../src/db/schema.js';
import { initialSchema } from '../../src/db/migrations/001-initial-schema.js';
import { openPostgres } from '../../src/db/postgres-store.js';
import { openSqlite } from '../../src/db/sqlite-store.js';
import type { DialectName } from '../../src/db/database.js';
import type { AuditLine } from '../../src/services/audit.service.js';
import { freshDatabase, testDialects } from '../support/databases.js';
import { createTestApp, openTestIncident, TEST_KEY, type TestApp } from '../support/test-app.js';

const run = promisify(execFile);
const BIN = resolve('bin/breachdesk.js');

/** An incident with a few decisions: a log of a dozen entries to tamper with. */
async function appWithLog(dialect: DialectName): Promise<{ app: TestApp; ids: number[] }> {
  const app = await createTestApp(dialect);
  const incident = await openTestIncident(app);
  for (const n of [1, 2, 3]) {
    await app.incidents.decide(incident, { decision: `decision ${n}`, reason: 'test' });
  }
  const rows = await app.store.db.selectFrom('audit_entry').select('id').orderBy('id').execute();
  return { app, ids: rows.map((row) => Number(row.id)) };
}

/** Swaps everything but the id between two rows, as someone reordering the log by hand would. */
async function swapRows(db: Kysely<Database>, a: number, b: number) {
  const [first, second] = await Promise.all(
    [a, b].map((id) =>
      db.selectFrom('audit_entry').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
    ),
  );
  // prev_hash is unique: park one row's value while the other takes it.
  await db.updateTable('audit_entry').set({ prev_hash: 'parked' }).where('id', '=', b).execute();
  const { id: _a, ...firstContent } = first!;
  const { id: _b, ...secondContent } = second!;
  await db.updateTable('audit_entry').set(secondContent).where('id', '=', a).execute();
  await db.updateTable('audit_entry').set(firstContent).where('id', '=', b).execute();
}

describe.each(testDialects())('the audit chain on %s', (dialect) => {
  it('chains every entry onto the one before it and verifies', async () => {
    const { app, ids } = await appWithLog(dialect);
    const verdict = await app.audit.verify();
    const last = await app.store.db
      .selectFrom('audit_entry')
      .select(['id', 'hash'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(verdict).toEqual({
      ok: true,
      entries: ids.length,
      head: { id: Number(last.id), hash: last.hash },
    });
  });

  it('detects an edited detail', async () => {
    const { app, ids } = await appWithLog(dialect);
    await sql`update audit_entry set detail = '{"decision":"nothing to see"}' where id = ${ids[3]}`.execute(
      app.store.db,
    );
    expect(await app.audit.verify()).toMatchObject({ ok: false, id: ids[3], reason: 'edited' });
  });

  it('detects a removed middle entry', async () => {
    const { app, ids } = await appWithLog(dialect);
    await sql`delete from audit_entry where id = ${ids[4]}`.execute(app.store.db);
    expect(await app.audit.verify()).toMatchObject({ ok: false, id: ids[5], reason: 'removed' });
  });

  it('detects two entries that swapped places', async () => {
    const { app, ids } = await appWithLog(dialect);
    await swapRows(app.store.db, ids[2]!, ids[5]!);
    expect(await app.audit.verify()).toMatchObject({ ok: false, id: ids[2], reason: 'reordered' });
  });

  it('detects a deleted last entry through the recorded head', async () => {
    const { app, ids } = await appWithLog(dialect);
    const last = ids.at(-1)!;
    await sql`delete from audit_entry where id = ${last}`.execute(app.store.db);
    expect(await app.audit.verify()).toMatchObject({ ok: false, id: last, reason: 'removed' });
  });

  it('still shows a cut-off tail after later appends, which chain onto the recorded head', async () => {
    const { app, ids } = await appWithLog(dialect);
    await sql`delete from audit_entry where id = ${ids.at(-1)}`.execute(app.store.db);
    const [incident] = await app.incidents.list();
    await app.incidents.decide(incident!.id, { decision: 'later', reason: 'test' });
    expect(await app.audit.verify()).toMatchObject({ ok: false, reason: 'removed' });
  });

  it('catches a recomputed chain only through an anchor noted before the rewrite', async () => {
    const { app, ids } = await appWithLog(dialect);
    const noted = await app.audit.verify();
    if (!noted.ok || noted.head === null) throw new Error('the untouched log must verify');
    const anchor = noted.head;
    const rows = await app.store.db.selectFrom('audit_entry').selectAll().orderBy('id').execute();
    await sql`drop index audit_entry_prev_hash`.execute(app.store.db);
    let prev_hash = GENESIS_HASH;
    for (const row of rows) {
      const detail = row.id === ids[3] ? '{"decision":"nothing to see"}' : row.detail;
      const hash = auditEntryHash({ ...row, detail, prev_hash });
      await app.store.db
        .updateTable('audit_entry')
        .set({ detail, prev_hash, hash })
        .where('id', '=', row.id)
        .execute();
      prev_hash = hash;
    }
    const head = JSON.stringify({ id: Number(rows.at(-1)!.id), hash: prev_hash });
    await sql`update setting set value = ${head} where name = 'audit_head'`.execute(app.store.db);
    expect(await app.audit.verify()).toMatchObject({ ok: true });
    expect(await app.audit.verify({ anchors: [anchor] })).toMatchObject({
      ok: false,
      id: anchor.id,
      reason: 'edited',
    });
  });

  it('refuses to append once the head record is gone', async () => {
    const { app } = await appWithLog(dialect);
    await sql`delete from setting where name = 'audit_head'`.execute(app.store.db);
    expect(await app.audit.verify()).toMatchObject({ ok: false, id: null, reason: 'removed' });
    await expect(app.vendors.add({ name: 'Other', categories: 'email' })).rejects.toThrow(/lost its head/);
  });

  it('exports every entry as JSON lines, the export itself last', async () => {
    const { app, ids } = await appWithLog(dialect);
    const lines: AuditLine[] = [];
    for await (const line of app.audit.export()) lines.push(line);
    expect(lines.map((line) => line.id).slice(0, -1)).toEqual(ids);
    expect(lines.at(-1)).toMatchObject({ action: 'audit.export', detail: { scope: 'all' } });
    expect(lines[1]?.prevHash).toBe(lines[0]?.hash);
    expect(await app.audit.verify()).toMatchObject({ ok: true, entries: ids.length + 1 });
  });

  it("exports one incident's entries only", async () => {
    const { app } = await appWithLog(dialect);
    const [incident] = await app.incidents.list();
    const lines: AuditLine[] = [];
    for await (const line of app.audit.export({ incidentId: incident!.id })) lines.push(line);
    expect(lines.every((line) => line.incidentId === incident!.id)).toBe(true);
    expect(lines.map((line) => line.action)).toContain('incident.decide');
    expect(lines.map((line) => line.action)).not.toContain('vendor.add');
  });

  it('chains the entries written before the migration and moves old incidents to triage', async () => {
    const database = await freshDatabase(dialect);
    const old = isPostgresUrl(database.location)
      ? openPostgres(database.location)
      : openSqlite(database.location);
    try {
      const migrator = new Migrator({
        db: old.db,
        provider: { getMigrations: () => Promise.resolve({ '001-initial-schema': initialSchema(dialect) }) },
      });
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      await sql`insert into vendor values ('ven_1', 'Mixpanel', '[]', null, 'active', '2026-11-01T00:00:00.000Z')`.execute(
        old.db,
      );
      await sql`insert into incident values ('inc_1', 'ven_1', 'Old', '[]', '[]', '2026-11-02T00:00:00.000Z',
        '2026-11-03T00:00:00.000Z', 'open')`.execute(old.db);
      for (const action of ['vendor.add', 'incident.open', 'dataset.import']) {
        await sql`insert into audit_entry (at, actor, action, incident_id, detail)
          values ('2026-11-03T00:00:00.000Z', 'old', ${action}, 'inc_1', '{}')`.execute(old.db);
      }
    } finally {
      await old.close();
    }
    const app = await createApp({
      config: {
        db: database.location,
        actor: 'tester',
        company: DEFAULT_COMPANY,
        key: { envKey: TEST_KEY, keyFile: '/nonexistent' },
      },
    });
    try {
      expect(await app.audit.verify()).toMatchObject({ ok: true, entries: 3 });
      expect(await app.incidents.get('inc_1')).toMatchObject({
        status: 'triage',
        awareAt: '2026-11-02T00:00:00.000Z',
      });
      expect((await app.incidents.timeline('inc_1')).map((event) => event.type)).toEqual([
        'vendor_informed_us',
        'incident_opened',
      ]);
      await app.incidents.setStatus('inc_1', 'scoping');
      expect(await app.audit.verify()).toMatchObject({ ok: true, entries: 5 });
    } finally {
      await app.close();
      await database.drop();
    }
  });

  it('keeps one chain when several processes append at once', async () => {
    const app = await createTestApp(dialect);
    const incident = await openTestIncident(app);
    const env = { ...process.env, BREACHDESK_KEY: TEST_KEY };
    const processes = 4;
    await Promise.all(
      Array.from({ length: processes }, (_, n) =>
        run(
          'node',
          [
            BIN,
            '--db',
            app.config.db,
            'incident',
            'decide',
            incident,
            '--decision',
            `d${n}`,
            '--reason',
            'r',
          ],
          { env },
        ),
      ),
    );
    expect(await app.incidents.decisions(incident)).toHaveLength(processes);
    const verdict = await app.audit.verify();
    expect(verdict).toMatchObject({ ok: true });
    const exported = join(app.dir, 'audit.jsonl');
    await run('node', [BIN, '--db', app.config.db, 'audit', 'export', '--out', exported], { env });
    const actions = readFileSync(exported, 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as AuditLine).action);
    expect(actions.filter((action) => action === 'incident.decide')).toHaveLength(processes);
  }, 60_000);
});

describe.each(testDialects().filter((dialect) => dialect === 'postgres'))(
  'concurrent appends on %s',
  (dialect) => {
    it('never forks the chain when several app instances append in parallel', async () => {
      const first = await createTestApp(dialect);
      const incident = await openTestIncident(first);
      const before = await first.audit.verify();
      const others = await Promise.all(
        [1, 2, 3].map(() => createApp({ config: first.config, clock: first.clock })),
      );
      try {
        const apps = [first, ...others];
        await Promise.all(
          apps.flatMap((app, a) =>
            Array.from({ length: 10 }, (_, n) =>
              app.incidents.decide(incident, { decision: `app ${a} decision ${n}`, reason: 'load' }),
            ),
          ),
        );
      } finally {
        await Promise.all(others.map((app) => app.close()));
      }
      expect(await first.audit.verify()).toMatchObject({ ok: true, entries: before.entries + 40 });
      expect(await first.incidents.decisions(incident)).toHaveLength(40);
    }, 60_000);
  },
);
