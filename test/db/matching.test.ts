import { describe, expect, it } from 'vitest';
import { testDialects } from '../support/databases.js';
import { createTestApp, openTestIncident, profiles, type TestApp } from '../support/test-app.js';
import { operator } from '../../src/services/caller.js';

const ACCOUNTS = `id,email,name,status,locale,country
u1,alice@example.com,Alice Admin,active,en,US
u2,Bob@Example.com,Bob,active,de,DE
u3,shared@example.com,Carol,active,en,GB
u4,shared@example.com,Dan,active,en,GB
u5,erin.e+news@example.com,Erin,deleted,en,FR
u6,frank@example.com,Frank Owner,active,en,US
u7,gone-admin@example.com,Gone Admin,disabled,en,US
`;
const ORGS = `id,name
org-a,Alpha Inc
org-b,Beta LLC
org-c,Gamma GmbH
`;
const MEMBERSHIPS = `org_id,account_id,role
org-a,u1,owner
org-a,u2,member
org-b,u6,admin
org-b,u7,admin
org-c,u3,member
`;

async function setUp(app: TestApp, dataset: string) {
  await app.directory.import({
    accounts: app.write('accounts.csv', ACCOUNTS),
    organizations: app.write('orgs.csv', ORGS),
    memberships: app.write('memberships.csv', MEMBERSHIPS),
  });
  const incidentId = await openTestIncident(app);
  if (dataset)
    await app.datasets.import({ incidentId, path: app.write('people.ndjson', dataset), format: 'auto' });
  return incidentId;
}

async function peopleOf(app: TestApp, incidentId: string) {
  const people = [];
  for await (const person of app.impact.people(incidentId, operator('tester'))) people.push(person);
  return people;
}

describe.each(testDialects())('matching and impact on %s', (dialect) => {
  it('matches a record to an account by exact user id, not by a case variant of it', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(
      app,
      profiles(
        { $distinct_id: 'u1', $properties: { $city: 'Paris' } },
        { $distinct_id: 'U2', $properties: { $os: 'Linux' } },
      ),
    );
    const people = await peopleOf(app, id);
    expect(people).toContainEqual({
      email: 'alice@example.com',
      accountId: 'u1',
      categories: ['identifier', 'location'],
      organizations: ['org-a'],
    });
    expect(people).toContainEqual({
      email: null,
      accountId: null,
      categories: ['device', 'identifier'],
      organizations: [],
    });
  });

  it('matches by email after trimming and case folding, and notifies the account address', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(
      app,
      profiles({
        $distinct_id: '$device:xyz',
        $properties: { $email: '  bob@EXAMPLE.com ', $browser: 'Firefox' },
      }),
    );
    const [person] = await peopleOf(app, id);
    expect(person).toEqual({
      email: 'Bob@Example.com',
      accountId: 'u2',
      categories: ['email', 'device', 'identifier'].sort(),
      organizations: ['org-a'],
    });
  });

  it('does not fold dots or plus tags when matching by email', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(
      app,
      profiles({ $distinct_id: 'anon-1', $properties: { $email: 'erine@example.com' } }),
    );
    const [person] = await peopleOf(app, id);
    expect(person?.accountId).toBeNull();
    expect(person?.email).toBe('erine@example.com');
  });

  it('leaves an email shared by two accounts unmatched but contactable at that address', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(
      app,
      profiles({ $distinct_id: 'anon-2', $properties: { $email: 'shared@example.com' } }),
    );
    const impact = await app.impact.analyze(id);
    expect(impact.people).toEqual({ total: 1, matched: 0, unmatchedContactable: 1, uncontactable: 0 });
    expect(impact.recipients).toBe(1);
  });

  it('counts unmatched people with and without an email, uncontactable ones once per user id', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(
      app,
      profiles(
        { $distinct_id: 'x1', $properties: { $email: 'stranger@elsewhere.org' } },
        { $distinct_id: 'x2', $properties: { $email: 'STRANGER@elsewhere.org' } },
        { $distinct_id: 'x3', $properties: { $city: 'Oslo' } },
        { $distinct_id: 'x3', $properties: { $os: 'iOS' } },
        { $distinct_id: 'x4', $properties: {} },
      ),
    );
    const impact = await app.impact.analyze(id);
    expect(impact.records).toEqual({ read: 5, valid: 5, quarantined: 0 });
    expect(impact.people).toEqual({ total: 3, matched: 0, unmatchedContactable: 1, uncontactable: 2 });
    const people = await peopleOf(app, id);
    expect(people).toContainEqual({
      email: null,
      accountId: null,
      categories: ['identifier', 'location', 'device'].sort(),
      organizations: [],
    });
  });

  it('unions the categories of duplicate records of one person and ignores empty values', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(
      app,
      profiles(
        { $distinct_id: 'u1', $properties: { $name: 'Alice', $email: '', $phone: '   ', $city: null } },
        { $distinct_id: 'u1', $properties: { $initial_referrer: 'https://news.example', tags: [] } },
      ),
    );
    const impact = await app.impact.analyze(id);
    expect(impact.people.total).toBe(1);
    expect(impact.categories).toMatchObject({
      identifier: 1,
      name: 1,
      referrer: 1,
      email: 0,
      phone: 0,
      location: 0,
    });
  });

  it('marks organizations from scalar and list org keys impacted even when the user did not match', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(
      app,
      profiles(
        { $distinct_id: 'nobody-1', $properties: { org_id: 'org-b' } },
        { $distinct_id: 'nobody-2', $properties: { $groups: { org_id: ['org-c', 'org-unknown'] } } },
      ),
    );
    const impact = await app.impact.analyze(id);
    expect(impact.organizations).toBe(2);
    // org-b's active admin is a recipient; its disabled admin is not. org-c has no admin.
    expect(impact.adminRecipients).toBe(1);
    expect(impact.recipients).toBe(1);
    const people = await peopleOf(app, id);
    // Ids of organizations outside the directory stay hashed: only directory ids are listed.
    expect(people.map((p) => p.organizations).sort()).toEqual([['org-b'], ['org-c']]);
  });

  it('keeps deleted accounts as people and notifies their current email', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(
      app,
      profiles({ $distinct_id: 'u5', $properties: { $email: 'old-address@example.com', $name: 'Erin' } }),
    );
    const [person] = await peopleOf(app, id);
    expect(person).toMatchObject({ email: 'erin.e+news@example.com', accountId: 'u5' });
  });

  it('sends one notice to an admin who is also impacted, with both sections', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(
      app,
      profiles(
        { $distinct_id: 'u1', $properties: { $name: 'Alice' } },
        { $distinct_id: 'u2', $properties: { $city: 'Berlin' } },
      ),
    );
    const impact = await app.impact.analyze(id);
    expect(impact).toMatchObject({ organizations: 1, adminRecipients: 1, recipients: 2 });
    const plan = await app.notices.plan(id);
    expect(plan).toEqual({ recipients: 2, added: 2, alreadyPlanned: 0, layouts: { default: 2 } });
    const notice = await app.notices.preview(id, 'ALICE@example.com');
    expect(notice.text).toContain('Your name');
    expect(notice.text).toContain('Alpha Inc');
    expect(notice.text).toContain('Bob@Example.com');
  });

  it('reconciles every count', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(
      app,
      profiles(
        { $distinct_id: 'u1', $properties: {} },
        { $distinct_id: 'y', $properties: { $email: 'y@y.org' } },
        { $distinct_id: 'z', $properties: {} },
      ) + '{"$distinct_id": "broken"\n',
    );
    const { records, people } = await app.impact.analyze(id);
    expect(records.read).toBe(records.valid + records.quarantined);
    expect(records).toEqual({ read: 4, valid: 3, quarantined: 1 });
    expect(people.total).toBe(people.matched + people.unmatchedContactable + people.uncontactable);
  });

  it('impacts the organization of a record that carries only an org key', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(app, profiles({ $properties: { org_id: 'org-a', $city: 'Paris' } }));
    const impact = await app.impact.analyze(id);
    expect(impact).toMatchObject({ organizations: 1, adminRecipients: 1, recipients: 1 });
    expect(impact.people).toEqual({ total: 1, matched: 0, unmatchedContactable: 0, uncontactable: 1 });
  });

  it('gives an admin with two accounts on one address a single section per organization', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(app, profiles({ $distinct_id: 'u2', $properties: { $city: 'Berlin' } }));
    await app.directory.import({
      accounts: app.write('twin.csv', 'id,email,name,status\nu8,ALICE@example.com,Alice Twin,active\n'),
      memberships: app.write('twin-m.csv', 'org_id,account_id,role\norg-a,u8,admin\n'),
    });
    await app.notices.plan(id);
    const notice = await app.notices.preview(id, 'alice@example.com');
    expect(notice.text.match(/Organization: Alpha Inc/g)).toHaveLength(1);
  });

  it('reaches a matched account without an email at the address the dataset had', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(app, '');
    await app.directory.import({ accounts: app.write('nomail.csv', 'id,email,name\nm1,,No Mail\n') });
    await app.datasets.import({
      incidentId: id,
      path: app.write('m1.ndjson', profiles({ $distinct_id: 'm1', $properties: { $email: 'm1@x.example' } })),
      format: 'auto',
    });
    const [person] = await peopleOf(app, id);
    expect(person).toMatchObject({ accountId: 'm1', email: 'm1@x.example' });
  });

  it("counts a matched person once, at their account's email, whatever addresses their records carry", async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(
      app,
      profiles(
        { $distinct_id: 'u6', $properties: { $email: 'frank.old@elsewhere.example' } },
        { $distinct_id: 'anon-9', $properties: { $email: 'Frank@Example.com' } },
      ),
    );
    expect(await peopleOf(app, id)).toEqual([
      {
        email: 'frank@example.com',
        accountId: 'u6',
        categories: ['email', 'identifier'],
        organizations: ['org-b'],
      },
    ]);
    // Frank administers org-b too: one recipient, at the account's address.
    expect(await app.impact.analyze(id)).toMatchObject({
      people: { total: 1, matched: 1 },
      organizations: 1,
      adminRecipients: 1,
      recipients: 1,
    });
  });

  it('tells only active admins and counts organizations left without one', async () => {
    const app = await createTestApp(dialect);
    const id = await setUp(
      app,
      profiles({ $distinct_id: 'nobody', $properties: { org_id: ['org-b', 'org-c'] } }),
    );
    await app.directory.import({
      accounts: app.write('susp.csv', 'id,email,name,status\nu6,frank@example.com,Frank,suspended\n'),
    });
    const impact = await app.impact.analyze(id);
    expect(impact).toMatchObject({ organizations: 2, organizationsWithoutAdmin: 2, adminRecipients: 0 });
  });
});
