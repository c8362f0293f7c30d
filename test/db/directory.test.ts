import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDialects } from '../support/databases.js';
import { createTestApp, openTestIncident, profiles, type TestApp } from '../support/test-app.js';

/** A directory large enough that its import rebuilds the indexes at the end (50,000 rows). */
function largeDirectory(app: TestApp, accounts: number) {
  const lines = ['id,email,name'];
  for (let i = 0; i < accounts; i++) lines.push(`big-${i},big-${i}@acme.test,Big ${i}`);
  return app.write('large.csv', lines.join('\n') + '\n');
}

async function directoryIndexes(app: TestApp): Promise<string[]> {
  const { rows } =
    app.store.capabilities.name === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'index'
          and tbl_name in ('account', 'organization', 'membership')`.execute(app.store.db)
      : await sql<{ name: string }>`select indexname as name from pg_indexes
          where tablename in ('account', 'organization', 'membership')`.execute(app.store.db);
  return rows.map((row) => row.name).sort();
}

describe.each(testDialects())('directory import on %s', (dialect) => {
  it('imports NDJSON accounts and keeps extra columns', async () => {
    const app = await createTestApp(dialect);
    const accounts = app.write(
      'accounts.ndjson',
      '{"id":"u1","email":"Ann@Acme.test","name":"Ann","status":"active","locale":"fr","country":"FR"}\n' +
        '{"id":"u2","email":"ben@acme.test","__proto__":{"polluted":true}}\n',
    );
    expect(await app.directory.import({ accounts })).toEqual({
      accounts: 2,
      organizations: 0,
      memberships: 0,
    });
    const rows = await app.store.db.selectFrom('account').selectAll().orderBy('id').execute();
    expect(rows.map((row) => [row.id, row.email_norm, row.status, row.locale])).toEqual([
      ['u1', 'ann@acme.test', 'active', 'fr'],
      ['u2', 'ben@acme.test', 'active', null],
    ]);
    expect(JSON.parse(rows[0]!.attributes)).toEqual({ country: 'FR' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('updates accounts, organizations and roles in place on re-import', async () => {
    const app = await createTestApp(dialect);
    await app.directory.import({
      accounts: app.write('a.csv', 'id,email,name,status\nu1,old@acme.test,Ann,active\n'),
      organizations: app.write('o.csv', 'id,name\norg-1,Old Name\n'),
      memberships: app.write('m.csv', 'org_id,account_id,role\norg-1,u1,member\n'),
    });
    await app.directory.import({
      accounts: app.write('a2.csv', 'id,email,name,status\nu1,new@acme.test,Ann B,deleted\n'),
      organizations: app.write('o2.csv', 'id,name\norg-1,New Name\n'),
      memberships: app.write('m2.csv', 'org_id,account_id,role\norg-1,u1,OWNER\n'),
    });
    expect(await app.directory.counts()).toEqual({ accounts: 1, organizations: 1, memberships: 1 });
    const account = await app.store.db.selectFrom('account').selectAll().executeTakeFirstOrThrow();
    expect([account.email, account.name, account.status]).toEqual(['new@acme.test', 'Ann B', 'deleted']);
    const membership = await app.store.db.selectFrom('membership').selectAll().executeTakeFirstOrThrow();
    expect(membership.role).toBe('owner');
  });

  it('rolls back the whole import when a membership names an unknown account', async () => {
    const app = await createTestApp(dialect);
    const attempt = app.directory.import({
      accounts: app.write('a.csv', 'id,email\nu1,ann@acme.test\n'),
      organizations: app.write('o.csv', 'id,name\norg-1,Acme\n'),
      memberships: app.write('m.csv', 'org_id,account_id,role\norg-1,u1,owner\norg-1,ghost,member\n'),
    });
    await expect(attempt).rejects.toThrow(/m\.csv:3: membership refers to unknown account ghost/);
    expect(await app.directory.counts()).toEqual({ accounts: 0, organizations: 0, memberships: 0 });
  });

  it('rejects an unknown role, a duplicate id and an invalid address with file and line', async () => {
    const app = await createTestApp(dialect);
    await app.directory.import({
      accounts: app.write('a.csv', 'id,email\nu1,ann@acme.test\n'),
      organizations: app.write('o.csv', 'id,name\norg-1,Acme\n'),
    });
    await expect(
      app.directory.import({ memberships: app.write('m.csv', 'org_id,account_id,role\norg-1,u1,boss\n') }),
    ).rejects.toThrow(/m\.csv:2: field role must be one of owner, admin, member/);
    await expect(
      app.directory.import({ accounts: app.write('d.csv', 'id,email\nu2,a@b.test\nu2,c@d.test\n') }),
    ).rejects.toThrow(/d\.csv:3: duplicate row for id u2/);
    await expect(
      app.directory.import({ accounts: app.write('e.csv', 'id,email\nu3,"x@y.test\r\nBcc: z@z.test"\n') }),
    ).rejects.toThrow(/e\.csv:2: field email is not a valid address/);
  });

  it('imports a large directory with its indexes rebuilt at the end, and matches against it', async () => {
    const app = await createTestApp(dialect);
    const before = await directoryIndexes(app);
    expect(await app.directory.import({ accounts: largeDirectory(app, 50_001) })).toMatchObject({
      accounts: 50_001,
    });
    expect(await directoryIndexes(app)).toEqual(before);
    const incidentId = await openTestIncident(app);
    await app.datasets.import({
      incidentId,
      path: app.write(
        'p.ndjson',
        profiles(
          { $distinct_id: 'big-49999', $properties: {} },
          { $distinct_id: 'x', $properties: { $email: 'BIG-7@acme.test' } },
        ),
      ),
      format: 'auto',
    });
    expect((await app.impact.analyze(incidentId)).people).toMatchObject({ total: 2, matched: 2 });
  });

  it('rolls a large import back whole, indexes included, when a membership names an unknown account', async () => {
    const app = await createTestApp(dialect);
    const before = await directoryIndexes(app);
    const attempt = app.directory.import({
      accounts: largeDirectory(app, 50_001),
      organizations: app.write('o.csv', 'id,name\norg-1,Acme\n'),
      memberships: app.write('m.csv', 'org_id,account_id,role\norg-1,big-1,owner\norg-1,ghost,member\n'),
    });
    await expect(attempt).rejects.toThrow(/membership refers to unknown account ghost/);
    expect(await app.directory.counts()).toEqual({ accounts: 0, organizations: 0, memberships: 0 });
    expect(await directoryIndexes(app)).toEqual(before);
  });
});
