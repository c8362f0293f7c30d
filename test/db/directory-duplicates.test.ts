import { describe, expect, it } from 'vitest';
import { testDialects } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** `count` CSV lines after a header, line n (from 2) made by `row(n - 2)`. */
function csv(header: string, count: number, row: (i: number) => string): string {
  const lines = [header];
  for (let i = 0; i < count; i++) lines.push(row(i));
  return `${lines.join('\n')}\n`;
}

async function stored(app: TestApp) {
  const db = app.store.db;
  return {
    counts: await app.directory.counts(),
    accounts: await db.selectFrom('account').select(['id', 'email', 'updated_at']).orderBy('id').execute(),
    organizations: await db.selectFrom('organization').select(['id', 'name']).orderBy('id').execute(),
    memberships: await db
      .selectFrom('membership')
      .select(['organization_id', 'account_id', 'role'])
      .orderBy('organization_id')
      .orderBy('account_id')
      .execute(),
  };
}

describe.each(testDialects())('directory import duplicates on %s', (dialect) => {
  /** A directory already imported, which a failed import must leave exactly as it was. */
  async function withDirectory() {
    const app = await createTestApp(dialect);
    await app.directory.import({
      accounts: app.write('a0.csv', 'id,email\nu1,one@acme.test\nu2,two@acme.test\n'),
      organizations: app.write('o0.csv', 'id,name\norg-1,Acme\n'),
      memberships: app.write('m0.csv', 'org_id,account_id,role\norg-1,u1,owner\n'),
    });
    app.clock.advance(60_000);
    return { app, before: await stored(app) };
  }

  it('names the file, the line and the id of an account given twice batches apart, and writes nothing', async () => {
    const { app, before } = await withDirectory();
    // The repeat sits two batches after its first line: the check is over the whole file.
    const accounts = app.write(
      'accounts.csv',
      csv('id,email', 1_200, (i) => (i === 1_100 ? 'new-7,again@acme.test' : `new-${i},n${i}@acme.test`)),
    );
    await expect(
      app.directory.import({
        accounts,
        organizations: app.write('o.csv', 'id,name\norg-2,Beta\n'),
      }),
    ).rejects.toThrow(/accounts\.csv:1102: duplicate row for id new-7$/);
    expect(await stored(app)).toEqual(before);
    // The failed import left nothing behind either: the same connection imports again.
    await app.directory.import({ accounts: app.write('fixed.csv', 'id,email\nnew-7,again@acme.test\n') });
    expect((await stored(app)).counts.accounts).toBe(3);
  });

  it('reports the earliest repeating line when several ids repeat, whatever their order', async () => {
    const app = await createTestApp(dialect);
    const accounts = app.write(
      'a.csv',
      'id,email\nzz,z@acme.test\naa,a@acme.test\nbb,b@acme.test\nzz,y@acme.test\naa,c@acme.test\n',
    );
    await expect(app.directory.import({ accounts })).rejects.toThrow(/a\.csv:5: duplicate row for id zz$/);
  });

  it('names a repeated organization id and leaves the accounts of the same import unwritten', async () => {
    const { app, before } = await withDirectory();
    await expect(
      app.directory.import({
        accounts: app.write('a.csv', 'id,email\nu1,changed@acme.test\nu3,three@acme.test\n'),
        organizations: app.write('orgs.csv', 'id,name\norg-1,Acme Renamed\norg-2,Beta\norg-1,Acme Again\n'),
      }),
    ).rejects.toThrow(/orgs\.csv:4: duplicate row for id org-1$/);
    expect(await stored(app)).toEqual(before);
  });

  it('names a membership given twice by its organization and account, and writes nothing', async () => {
    const { app, before } = await withDirectory();
    await expect(
      app.directory.import({
        accounts: app.write('a.csv', 'id,email\nu2,two@acme.test\n'),
        memberships: app.write(
          'members.csv',
          'org_id,account_id,role\norg-1,u2,member\norg-1,u1,admin\norg-1,u2,admin\n',
        ),
      }),
    ).rejects.toThrow(/members\.csv:4: duplicate row for org org-1 account u2$/);
    expect(await stored(app)).toEqual(before);
  });

  it('takes an id already stored, or the same account in two organizations, as no duplicate', async () => {
    const { app } = await withDirectory();
    await app.directory.import({
      accounts: app.write('a.csv', 'id,email\nu1,uno@acme.test\n'),
      organizations: app.write('o.csv', 'id,name\norg-2,Beta\n'),
      memberships: app.write('m.csv', 'org_id,account_id,role\norg-1,u1,admin\norg-2,u1,member\n'),
    });
    const after = await stored(app);
    expect(after.counts).toEqual({ accounts: 2, organizations: 2, memberships: 2 });
    expect(after.accounts[0]).toMatchObject({
      id: 'u1',
      email: 'uno@acme.test',
      updated_at: '2026-11-20T09:01:00.000Z',
    });
    expect(after.memberships.map((m) => [m.organization_id, m.role])).toEqual([
      ['org-1', 'admin'],
      ['org-2', 'member'],
    ]);
  });

  it('names the line of a membership whose organization is unknown', async () => {
    const { app, before } = await withDirectory();
    await expect(
      app.directory.import({
        memberships: app.write('m.csv', 'org_id,account_id,role\norg-1,u2,member\norg-9,u1,member\n'),
      }),
    ).rejects.toThrow(/m\.csv:3: membership refers to unknown organization org-9$/);
    expect(await stored(app)).toEqual(before);
  });

  it('imports a generated directory of 60,000 accounts with the counts and keys of every row', async () => {
    const app = await createTestApp(dialect);
    const accounts = 60_000;
    const organizations = 6_000;
    const result = await app.directory.import({
      // Ids in no order, as an export gives them: the rows reach their tables sorted all the same.
      accounts: app.write(
        'accounts.csv',
        csv(
          'id,email,name,country',
          accounts,
          (i) => `u-${(i * 7_919) % accounts},p${i}@acme.test,P ${i},DE`,
        ),
      ),
      organizations: app.write(
        'orgs.csv',
        csv('id,name', organizations, (i) => `org-${i},Org ${i}`),
      ),
      // Each account in one organization, every tenth in a second one too.
      memberships: app.write(
        'members.csv',
        csv('org_id,account_id,role', accounts + accounts / 10, (i) =>
          i < accounts
            ? `org-${i % organizations},u-${i},member`
            : `org-${(i + 1) % organizations},u-${(i - accounts) * 10},admin`,
        ),
      ),
    });
    expect(result).toEqual({ accounts, organizations, memberships: accounts + accounts / 10 });
    expect(await app.directory.counts()).toEqual(result);
    const db = app.store.db;
    // Every membership carries its organization's keyed id, as the organization row holds it.
    const mismatched = await db
      .selectFrom('membership as m')
      .innerJoin('organization as o', 'o.id', 'm.organization_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .whereRef('m.organization_key', '<>', 'o.id_key')
      .executeTakeFirstOrThrow();
    expect(Number(mismatched.n)).toBe(0);
    const account = await db
      .selectFrom('account')
      .selectAll()
      .where('id', '=', 'u-7919')
      .executeTakeFirstOrThrow();
    expect(account).toMatchObject({ email: 'p1@acme.test', name: 'P 1', country: 'DE', status: 'active' });
  });
});
