import { describe, expect, it } from 'vitest';
import { operator } from '../../src/services/caller.js';
import { testDialects } from '../support/databases.js';
import { createTestApp, openTestIncident, profiles, type TestApp } from '../support/test-app.js';

const ACCOUNTS = 'id,email,name,status\nu1,alice@example.com,Alice,active\nu2,bob@example.com,Bob,active\n';
const ORGS = 'id,name\norg-a,Alpha Inc\norg-b,Beta LLC\n';
const MEMBERSHIPS = 'org_id,account_id,role\norg-a,u1,owner\n';

async function setUp(app: TestApp) {
  await app.directory.import({
    accounts: app.write('accounts.csv', ACCOUNTS),
    organizations: app.write('orgs.csv', ORGS),
    memberships: app.write('memberships.csv', MEMBERSHIPS),
  });
  const incidentId = await openTestIncident(app);
  await app.datasets.import({
    incidentId,
    path: app.write('first.ndjson', profiles({ $distinct_id: 'u1', $properties: { $city: 'Paris' } })),
    format: 'auto',
  });
  return incidentId;
}

async function peopleOf(app: TestApp, incidentId: string) {
  const people = [];
  for await (const person of app.impact.people(incidentId, operator('tester'))) people.push(person);
  return people.sort((a, b) => String(a.accountId).localeCompare(String(b.accountId)));
}

async function matchedAt(app: TestApp, incidentId: string) {
  const row = await app.store.db
    .selectFrom('match_stamp')
    .select('matched_at')
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
  return row?.matched_at;
}

describe.each(testDialects())('stored matching on %s', (dialect) => {
  it('keeps the stored matching and counts when neither datasets nor directory changed', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(app);
    const first = await app.impact.analyze(id);
    const stamped = await matchedAt(app, id);
    expect(stamped).toBe('2026-11-20T09:00:00.000Z');
    app.clock.advance(60_000);
    await peopleOf(app, id);
    await app.notices.plan(id);
    expect(await app.impact.analyze(id)).toEqual(first);
    expect(await matchedAt(app, id)).toBe(stamped);
  });

  it('matches and counts once when several callers ask at the same time', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(app);
    const [first, second] = await Promise.all([app.impact.analyze(id), app.impact.analyze(id)]);
    // The second caller joined the first one's count: the very same summary object.
    expect(second).toBe(first);
    expect(first.people.total).toBe(1);
    const stamps = await app.store.db
      .selectFrom('match_stamp')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('incident_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(stamps.n)).toBe(1);
  });

  it('matches again when a dataset is added to the incident', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(app);
    expect((await app.impact.analyze(id)).people.total).toBe(1);
    app.clock.advance(60_000);
    await app.datasets.import({
      incidentId: id,
      path: app.write('second.ndjson', profiles({ $distinct_id: 'u2', $properties: { $os: 'Linux' } })),
      format: 'auto',
    });
    const after = await app.impact.analyze(id);
    expect(after.people).toMatchObject({ total: 2, matched: 2 });
    expect(after.records.read).toBe(2);
    expect(await matchedAt(app, id)).toBe('2026-11-20T09:01:00.000Z');
  });

  it('matches again after a directory import adds the account a record names', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(app);
    await app.datasets.import({
      incidentId: id,
      path: app.write('late.ndjson', profiles({ $distinct_id: 'u9', $properties: { $os: 'Linux' } })),
      format: 'auto',
    });
    expect((await app.impact.analyze(id)).people).toMatchObject({ matched: 1, uncontactable: 1 });
    await app.directory.import({
      accounts: app.write('u9.csv', 'id,email,name,status\nu9,nine@example.com,Nine,active\n'),
    });
    expect(await peopleOf(app, id)).toContainEqual({
      email: 'nine@example.com',
      accountId: 'u9',
      categories: ['device', 'identifier'],
      organizations: [],
    });
    expect((await app.impact.analyze(id)).people).toMatchObject({ matched: 2, uncontactable: 0 });
  });

  it('matches again after a directory import that only changes memberships', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(app);
    expect((await peopleOf(app, id))[0]!.organizations).toEqual(['org-a']);
    await app.directory.import({
      memberships: app.write('more.csv', 'org_id,account_id,role\norg-b,u1,member\n'),
    });
    expect((await peopleOf(app, id))[0]!.organizations).toEqual(['org-a', 'org-b']);
    expect((await app.impact.analyze(id)).organizations).toBe(2);
  });

  it('keeps the stored matching when a directory import fails and rolls back', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(app);
    await app.impact.analyze(id);
    const stamped = await matchedAt(app, id);
    app.clock.advance(60_000);
    await expect(
      app.directory.import({
        memberships: app.write('bad.csv', 'org_id,account_id,role\norg-a,nobody,member\n'),
      }),
    ).rejects.toThrow(/unknown account nobody/);
    await app.impact.analyze(id);
    expect(await matchedAt(app, id)).toBe(stamped);
  });
});
