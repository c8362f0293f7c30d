import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { startMailSink } from '../../src/adapters/mail-sink.js';
import { createSmtpSender } from '../../src/adapters/smtp-sender.js';
import { testDialects } from '../support/databases.js';
import { createTestApp, openTestIncident, profiles, type TestApp } from '../support/test-app.js';

/** Values only the dataset holds: none of them may be stored in clear. */
const SECRETS = [
  'Zebediah Quatermain',
  'zebediah.unique@leak.example',
  'Ouagadougou-Secret-City',
  'https://referrer.secret-campaign.example/landing',
  'anon-device-7f3a9b',
  'org-not-in-directory-42',
];

async function seed(app: TestApp) {
  await app.directory.import({
    accounts: app.write('a.csv', 'id,email,name\nu1,known@acme.test,Known Person\n'),
    organizations: app.write('o.csv', 'id,name\norg-1,Acme\n'),
    memberships: app.write('m.csv', 'org_id,account_id,role\norg-1,u1,owner\n'),
  });
  const id = await openTestIncident(app);
  await app.datasets.import({
    incidentId: id,
    path: app.write(
      'leak.ndjson',
      profiles(
        {
          $distinct_id: 'u1',
          $properties: { $name: 'Zebediah Quatermain', $city: 'Ouagadougou-Secret-City' },
        },
        {
          $distinct_id: 'anon-device-7f3a9b',
          $properties: {
            $email: 'zebediah.unique@leak.example',
            $initial_referrer: 'https://referrer.secret-campaign.example/landing',
            org_id: ['org-1', 'org-not-in-directory-42'],
          },
        },
      ),
    ),
    format: 'auto',
  });
  await app.notices.plan(id);
  await app.notices.approve(id, 'Dana Responder');
  return id;
}

/** Every byte the database keeps: the SQLite file and its WAL, or every row of every table. */
async function storedText(app: TestApp, dialect: string): Promise<string> {
  if (dialect === 'sqlite') {
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(app.store.db);
    const dir = dirname(app.config.db);
    return readdirSync(dir)
      .filter((name) => statSync(join(dir, name)).isFile())
      .map((name) => readFileSync(join(dir, name)).toString('latin1'))
      .join('\n');
  }
  const tables = await sql<{
    tablename: string;
  }>`select tablename from pg_tables where schemaname = 'public'`.execute(app.store.db);
  const dumps = await Promise.all(
    tables.rows.map((t) =>
      sql<Record<string, unknown>>`select * from ${sql.table(t.tablename)}`.execute(app.store.db),
    ),
  );
  return JSON.stringify(dumps.map((d) => d.rows));
}

describe.each(testDialects())('no second copy of the leak on %s', (dialect) => {
  it('stores none of the dataset values the directory does not already hold', async () => {
    const app = await createTestApp(dialect);
    await seed(app);
    const stored = await storedText(app, dialect);
    for (const secret of SECRETS) expect(stored, secret).not.toContain(secret);
    expect(stored).toContain('known@acme.test');
  });

  it('still delivers to an unmatched address, opened only to send', async () => {
    const app = await createTestApp(dialect);
    const id = await seed(app);
    const sink = await startMailSink({ dir: join(app.dir, 'mail') });
    const sender = createSmtpSender({ url: sink.url });
    try {
      expect((await app.delivery.send(id, { sender })).sent).toBe(2);
    } finally {
      sender.close();
      await sink.close();
    }
    const mail = readdirSync(join(app.dir, 'mail')).map((f) =>
      readFileSync(join(app.dir, 'mail', f), 'utf8'),
    );
    expect(mail.some((m) => m.includes('To: zebediah.unique@leak.example'))).toBe(true);
    const owner = mail.find((m) => m.includes('To: known@acme.test'))!;
    expect(owner).toContain('zebediah.unique@leak.example');
  });

  it('purges exposed values for good and keeps categories, counts and audit', async () => {
    const app = await createTestApp(dialect);
    const id = await seed(app);
    await expect(app.incidents.purgeValues(id)).rejects.toThrow(/2 notices .* are not sent yet/);
    const before = await app.impact.analyze(id);
    expect(await app.incidents.purgeValues(id, { force: true })).toEqual({ records: 2 });
    const after = await app.impact.analyze(id);
    expect(after.categories).toEqual(before.categories);
    expect(after.people).toEqual(before.people);
    const addresses = await app.store.db
      .selectFrom('exposed_record')
      .select('email_sealed')
      .where('incident_id', '=', id)
      .execute();
    expect(addresses.every((row) => row.email_sealed === null)).toBe(true);
    const values = await app.store.db
      .selectFrom('exposed_value')
      .selectAll()
      .where('incident_id', '=', id)
      .execute();
    expect(values).toEqual([]);
    const audit = await app.store.db
      .selectFrom('audit_entry')
      .select('action')
      .where('incident_id', '=', id)
      .execute();
    expect(audit.map((a) => a.action)).toContain('incident.purge-values');
    await expect(app.notices.preview(id, 'known@acme.test')).rejects.toThrow(/purged/);
  });
});
