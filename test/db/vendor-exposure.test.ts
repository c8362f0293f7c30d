import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrations.js';
import { initialSchema } from '../../src/db/migrations/001-initial-schema.js';
import { openPostgres } from '../../src/db/postgres-store.js';
import { openSqlite } from '../../src/db/sqlite-store.js';
import { freshDatabase, testDialects } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Nine accounts in four organizations, counted by hand in the comments:
 * EU = u1 (DE), u2 (FR), u8 (Germany); US-CA = u3 (region); US-NY = u4 (state, region empty);
 * UK = u6 (GB); JP = u9; unknown = u5 (US without a state), u7 (no country).
 */
const ACCOUNTS = `id,email,name,status,country,region,state,plan
u1,ann@acme.test,Ann,active,DE,,,enterprise
u2,ben@acme.test,Ben,active,FR,,,enterprise
u3,cat@acme.test,Cat,active,US,CA,,free
u4,dan@acme.test,Dan,disabled,US,,NY,enterprise
u5,eve@acme.test,Eve,active,US,,,free
u6,fay@acme.test,"O'Brien, Fay",active,GB,,,enterprise
u7,gus@acme.test,Gus,active,,,,free
u8,hal@acme.test,Hal,active,Germany,,,enterprise
u9,,Ivy,deleted,JP,,,free
`;
const ORGANIZATIONS = 'id,name\no1,Acme\no2,Beta\no3,Gamma\no4,Delta\n';
// Admin recipients are active owners and admins with an address: u1, u3 (o1) and u7 (o3);
// u4 (o2) is disabled and u9 (o4) deleted without an address.
const MEMBERSHIPS = `org_id,account_id,role
o1,u1,owner
o1,u2,member
o1,u3,admin
o2,u4,owner
o2,u5,member
o3,u6,member
o3,u7,admin
o4,u9,owner
`;

async function directoryApp(dialect: Parameters<typeof createTestApp>[0]): Promise<TestApp> {
  const app = await createTestApp(dialect);
  await app.directory.import({
    accounts: app.write('accounts.csv', ACCOUNTS),
    organizations: app.write('orgs.csv', ORGANIZATIONS),
    memberships: app.write('memberships.csv', MEMBERSHIPS),
  });
  return app;
}

describe.each(testDialects())('vendor exposure on %s', (dialect) => {
  it('counts the blast radius of a vendor that receives every account', async () => {
    const app = await directoryApp(dialect);
    await app.vendors.add({ name: 'Mixpanel', categories: 'identifier,name,email,location,device' });
    const exposure = await app.vendorRisk.exposure('Mixpanel');
    expect(exposure).toMatchObject({
      population: 'all',
      people: 9,
      organizations: 4,
      adminRecipients: 3,
      categories: ['identifier', 'name', 'email', 'location', 'device'],
    });
    expect(exposure.jurisdictions).toEqual([
      { jurisdiction: 'EU', people: 3 },
      { jurisdiction: 'unknown', people: 2 },
      { jurisdiction: 'JP', people: 1 },
      { jurisdiction: 'UK', people: 1 },
      { jurisdiction: 'US-CA', people: 1 },
      { jurisdiction: 'US-NY', people: 1 },
    ]);
    // identifier 1 + name 2 + email 3 + location 2 + device 1 = 9, times 9 people.
    expect(exposure.risk).toMatchObject({ sensitivity: 9, score: 81, tier: 'low', cadenceMonths: 24 });
  });

  it('counts only the population a filter selects, on attributes and account columns', async () => {
    const app = await directoryApp(dialect);
    await app.vendors.add({
      name: 'Salesforce',
      categories: 'name,email,phone',
      population: 'plan = enterprise; country in (DE, FR, GB, Germany)',
    });
    await app.vendors.add({
      name: 'Stripe',
      categories: 'name,email,payment',
      population: 'status != deleted; plan = free',
    });
    // u1, u2, u6, u8; organizations o1 and o3, whose admins are u1, u3 and u7.
    expect(await app.vendorRisk.exposure('Salesforce')).toMatchObject({
      people: 4,
      organizations: 2,
      adminRecipients: 3,
      jurisdictions: [
        { jurisdiction: 'EU', people: 3 },
        { jurisdiction: 'UK', people: 1 },
      ],
      risk: { sensitivity: 8, score: 32 },
    });
    // u3, u5, u7 (u9 is deleted); organizations o1, o2, o3; o2's only admin is disabled.
    expect(await app.vendorRisk.exposure('Stripe')).toMatchObject({
      people: 3,
      organizations: 3,
      adminRecipients: 3,
      jurisdictions: [
        { jurisdiction: 'unknown', people: 2 },
        { jurisdiction: 'US-CA', people: 1 },
      ],
      risk: { sensitivity: 14, score: 42 },
    });
  });

  it('ranks vendors by sensitivity times people, ties by name', async () => {
    const app = await directoryApp(dialect);
    await app.vendors.add({
      name: 'Salesforce',
      categories: 'name,email,phone',
      population: 'plan = enterprise; country in (DE, FR, GB, Germany)',
    });
    await app.vendors.add({ name: 'Mixpanel', categories: 'identifier,name,email,location,device' });
    await app.vendors.add({
      name: 'Stripe',
      categories: 'name,email,payment',
      population: 'status != deleted; plan = free',
    });
    await app.vendors.add({ name: 'Clinic', categories: 'health', population: 'plan = platinum' });
    await app.vendors.add({ name: 'Auth0', categories: 'credentials', population: 'plan = platinum' });
    const ranking = await app.vendorRisk.ranking();
    expect(ranking.map((e) => [e.vendor.name, e.risk.score])).toEqual([
      ['Mixpanel', 81],
      ['Stripe', 42],
      ['Salesforce', 32],
      ['Auth0', 0],
      ['Clinic', 0],
    ]);
  });

  it('binds hostile filter values as data: quotes and SQL match nothing and change nothing', async () => {
    const app = await directoryApp(dialect);
    await app.vendors.add({ name: 'Quoted', categories: 'name', population: `name = "O'Brien, Fay"` });
    await app.vendors.add({
      name: 'Injected',
      categories: 'name',
      population: `name = "x'); drop table account; --"`,
    });
    await app.vendors.add({
      name: 'Or',
      categories: 'name',
      population: `plan = 'enterprise'' or ''1''=''1'`,
    });
    await app.vendors.add({
      name: 'Backslash',
      categories: 'name',
      population: `plan in ("\\", "enterprise\\' --")`,
    });
    await app.vendors.add({ name: 'Absent', categories: 'name', population: 'tier != gold' });
    expect((await app.vendorRisk.exposure('Quoted')).people).toBe(1);
    expect((await app.vendorRisk.exposure('Injected')).people).toBe(0);
    expect((await app.vendorRisk.exposure('Or')).people).toBe(0);
    expect((await app.vendorRisk.exposure('Backslash')).people).toBe(0);
    // No account has a tier: none of them is gold.
    expect((await app.vendorRisk.exposure('Absent')).people).toBe(9);
    expect(await app.directory.counts()).toEqual({ accounts: 9, organizations: 4, memberships: 8 });
    expect((await app.vendors.show('Or')).population).toBe(`plan = "enterprise' or '1'='1"`);
    // A dot in a column name is part of the key, not a path step.
    await app.directory.import({
      accounts: app.write('more.csv', 'id,email,billing.country\nu10,jo@acme.test,DE\n'),
    });
    await app.vendors.add({ name: 'Dotted', categories: 'name', population: 'billing.country = DE' });
    expect((await app.vendorRisk.exposure('Dotted')).people).toBe(1);
  });

  it('refuses a malformed population before anything is written', async () => {
    const app = await directoryApp(dialect);
    await expect(app.vendors.add({ name: 'Bad', categories: 'name', population: 'plan = ' })).rejects.toThrow(
      /--population: expected a value after "=" at character 8/,
    );
    await expect(
      app.vendors.add({ name: 'Bad', categories: 'name', population: 'attributes"); drop = 1' }),
    ).rejects.toThrow(/--population: /);
    expect(await app.vendors.list()).toEqual([]);
  });

  it('keeps inventory fields and a dated status history, audited', async () => {
    const app = await directoryApp(dialect);
    await app.vendors.add({
      name: 'Mixpanel',
      categories: 'identifier,email',
      purpose: 'analytics',
      subProcessors: 'AWS, Google Cloud,AWS',
      noticeHours: '72',
    });
    app.clock.advance(86_400_000);
    const changed = await app.vendors.set('Mixpanel', { population: 'country in (DE)', noticeHours: '24' });
    expect(changed).toMatchObject({
      population: 'country = DE',
      noticeHours: 24,
      subProcessors: ['AWS', 'Google Cloud'],
    });
    await expect(
      app.vendors.setStatus({ name: 'Mixpanel', status: 'removed', at: '2026-11-01' }),
    ).rejects.toThrow(/before the vendor's last status change \(active at 2026-11-20T09:00:00.000Z\)/);
    await expect(
      app.vendors.setStatus({ name: 'Mixpanel', status: 'removed', at: '2027-01-01' }),
    ).rejects.toThrow(/in the future/);
    await expect(app.vendors.setStatus({ name: 'Mixpanel', status: 'gone' })).rejects.toThrow(
      /unknown vendor status "gone"/,
    );
    await app.vendors.setStatus({
      name: 'Mixpanel',
      status: 'removed',
      at: '2026-11-20T12:00:00Z',
      note: 'SDK taken out',
    });
    await app.vendors.setStatus({ name: 'Mixpanel', status: 'terminated' });
    await expect(app.vendors.setStatus({ name: 'Mixpanel', status: 'terminated' })).rejects.toThrow(
      /already terminated/,
    );
    const shown = await app.vendors.show('Mixpanel');
    expect(shown.status).toBe('terminated');
    expect(shown.history.map((h) => [h.status, h.at, h.note])).toEqual([
      ['active', '2026-11-20T09:00:00.000Z', null],
      ['removed', '2026-11-20T12:00:00.000Z', 'SDK taken out'],
      ['terminated', '2026-11-21T09:00:00.000Z', null],
    ]);
    const actions = await app.store.db.selectFrom('audit_entry').select('action').orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual([
      'directory.import',
      'vendor.add',
      'vendor.set',
      'vendor.status',
      'vendor.status',
    ]);
  });
});

describe.each(testDialects())('upgrading a database to vendor inventory on %s', (dialect) => {
  it('gives vendors recorded before the upgrade a status history from their creation', async () => {
    const database = await freshDatabase(dialect);
    const store = dialect === 'sqlite' ? openSqlite(database.location) : openPostgres(database.location);
    try {
      const before = new Migrator({
        db: store.db,
        provider: { getMigrations: () => Promise.resolve({ '001-initial-schema': initialSchema(dialect) }) },
      });
      expect((await before.migrateToLatest()).error).toBeUndefined();
      await sql`insert into vendor (id, name, categories, purpose, status, created_at)
        values ('ven_old', 'Legacy CRM', '["email"]', null, 'active', '2025-01-02T03:04:05.000Z')`.execute(
        store.db,
      );
      await migrateToLatest(store.db, dialect);
      const history = await store.db.selectFrom('vendor_status_change').selectAll().execute();
      expect(history.map((h) => [h.vendor_id, h.status, h.at, h.recorded_by])).toEqual([
        ['ven_old', 'active', '2025-01-02T03:04:05.000Z', 'migration'],
      ]);
      const vendor = await store.db.selectFrom('vendor').selectAll().executeTakeFirstOrThrow();
      expect([vendor.population, vendor.sub_processors, vendor.notice_hours]).toEqual([null, '[]', null]);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
