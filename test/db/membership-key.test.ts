import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/database.js';
import { testDialects } from '../support/databases.js';
import { migratedBefore } from '../support/migrated-before.js';
import { createTestApp } from '../support/test-app.js';

describe.each(testDialects())('memberships on %s', (dialect) => {
  it("gives memberships written before migration 017 their organization's key", async () => {
    const { database, old } = await migratedBefore(dialect, '017');
    await sql`insert into organization (id, id_key, name, updated_at)
      values ('org-a', 'key-a', 'Alpha', 'now'), ('org-b', 'key-b', 'Beta', 'now')`.execute(old.db);
    await sql`insert into membership (organization_id, account_id, role)
      values ('org-a', 'u1', 'owner'), ('org-b', 'u1', 'member'), ('org-a', 'u2', 'member')`.execute(old.db);
    await old.close();

    const store = await openStore(database.location);
    try {
      const rows = await store.db
        .selectFrom('membership')
        .select(['organization_id', 'account_id', 'organization_key'])
        .orderBy('account_id')
        .orderBy('organization_id')
        .execute();
      expect(rows).toEqual([
        { organization_id: 'org-a', account_id: 'u1', organization_key: 'key-a' },
        { organization_id: 'org-b', account_id: 'u1', organization_key: 'key-b' },
        { organization_id: 'org-a', account_id: 'u2', organization_key: 'key-a' },
      ]);
    } finally {
      await store.close();
      await database.drop();
    }
  });

  it('keys an imported membership as its organization is keyed', async () => {
    const app = await createTestApp(dialect);
    await app.directory.import({
      accounts: app.write('accounts.csv', 'id,email\nu1,alice@example.com\n'),
      organizations: app.write('orgs.csv', 'id,name\norg-a,Alpha\n'),
      memberships: app.write('memberships.csv', 'org_id,account_id,role\norg-a,u1,owner\n'),
    });
    const row = await app.store.db
      .selectFrom('membership as m')
      .innerJoin('organization as o', 'o.id', 'm.organization_id')
      .select(['m.organization_key', 'o.id_key'])
      .executeTakeFirstOrThrow();
    expect(row.organization_key).toBe(row.id_key);
  });
});
