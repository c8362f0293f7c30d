import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DialectCapabilities, DialectName } from '../../src/db/database.js';
import { unitOfWork } from '../../src/db/repositories.js';
import { rebuildMatches } from '../../src/services/impact.service.js';
import { testDialects } from '../support/databases.js';
import { createTestApp, openTestIncident, profiles, type TestApp } from '../support/test-app.js';

const ACCOUNTS = `id,email
u1,one@example.com
u2,two@example.com
u3,shared@example.com
u4,shared@example.com
u5,
u6,six@example.com
`;
const ORGS = 'id,name\norg-a,A\norg-b,B\norg-c,C\norg-d,D\n';
const MEMBERSHIPS = `org_id,account_id,role
org-a,u1,owner
org-b,u1,member
org-a,u2,member
org-c,u6,admin
org-d,u5,member
`;

/** Every way a record reaches a person, and org keys that memberships give, repeat, or do not give. */
const RECORDS = profiles(
  { $distinct_id: 'u1', $properties: { org_id: ['org-a', 'org-d'], $city: 'Paris' } },
  { $distinct_id: 'u1', $properties: { org_id: ['org-a', 'org-b', 'org-unknown'] } },
  { $distinct_id: 'anon-1', $properties: { $email: 'TWO@example.com', org_id: ['org-a', 'org-c'] } },
  { $distinct_id: 'anon-1', $properties: { org_id: 'org-b' } },
  { $distinct_id: 'anon-2', $properties: { $email: 'shared@example.com', org_id: 'org-a' } },
  { $distinct_id: 'anon-3', $properties: { $email: 'stranger@elsewhere.example' } },
  { $distinct_id: 'anon-3', $properties: { org_id: 'org-c' } },
  { $distinct_id: 'u5', $properties: { $email: 'five@dataset.example', org_id: 'org-d' } },
  { $distinct_id: 'nobody', $properties: { org_id: ['org-b', 'org-b'] } },
  { $properties: { org_id: 'org-a', $city: 'Berlin' } },
);

type Flags = Pick<
  DialectCapabilities,
  'fencesRepeatedProbes' | 'antiJoinsKnownRows' | 'sortsJoinedInserts' | 'joinsDistinctSets'
>;

/** Every combination a dialect can run: SQLite has no `offset` without a `limit`. */
function combinations(dialect: DialectName): Flags[] {
  const both = [false, true];
  let all: Partial<Flags>[] = [{}];
  for (const [name, values] of [
    ['fencesRepeatedProbes', dialect === 'postgres' ? both : [false]],
    ['antiJoinsKnownRows', both],
    ['sortsJoinedInserts', both],
    ['joinsDistinctSets', both],
  ] as const)
    all = all.flatMap((flags) => values.map((value) => ({ ...flags, [name]: value })));
  return all as Flags[];
}

const TABLES = ['record_match', 'person', 'person_organization', 'organization_person'] as const;

/** The rows matching derived for the incident, in an order independent of any collation. */
async function derived(app: TestApp, incidentId: string) {
  const tables: Record<string, string[]> = {};
  for (const table of TABLES) {
    const rows = await app.store.db
      .selectFrom(table)
      .selectAll()
      .where('incident_id', '=', incidentId)
      .execute();
    tables[table] = rows
      .map((row) =>
        JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? Number(value) : value)),
      )
      .sort();
  }
  return tables;
}

describe.each(testDialects())("the matching's dialect capabilities on %s", (dialect) => {
  it('derive the same records, people, pairs and counts whichever way each one is set', async () => {
    const app = await createTestApp(dialect);
    await app.directory.import({
      accounts: app.write('accounts.csv', ACCOUNTS),
      organizations: app.write('orgs.csv', ORGS),
      memberships: app.write('memberships.csv', MEMBERSHIPS),
    });
    const incidentId = await openTestIncident(app);
    await app.datasets.import({ incidentId, path: app.write('people.ndjson', RECORDS), format: 'auto' });
    await app.impact.rematch(incidentId);
    const expected = await derived(app, incidentId);
    const totals = await unitOfWork(app.store).repos.impact.totals(incidentId);
    // The fixture reaches every rule and both kinds of pair, or the comparison proves little.
    const rules = new Set(
      expected.record_match!.map((row) => (JSON.parse(row) as { match_rule: string | null }).match_rule),
    );
    expect(rules).toEqual(new Set(['user_id', 'email', 'same_user_id', null]));
    expect(expected.person!.length).toBe(7);
    expect(expected.person_organization!.length).toBe(12);
    expect(totals).toEqual({ organizations: 4, withAdmin: 2, adminRecipients: 2, recipients: 6 });

    for (const flags of combinations(dialect)) {
      const uow = unitOfWork({ ...app.store, capabilities: { ...app.store.capabilities, ...flags } });
      await uow.transaction((repos) =>
        rebuildMatches(repos, incidentId, { stamp: 'variant', clock: app.clock }),
      );
      const counted = await uow.repos.impact.totals(incidentId);
      expect({ flags, tables: await derived(app, incidentId), counted }).toEqual({
        flags,
        tables: expected,
        counted: totals,
      });
    }
  });
});

describe.each(testDialects().filter((dialect) => dialect === 'postgres'))('matching on %s', (dialect) => {
  it('analyzes the dataset table first, which autovacuum never does for a table of a few rows', async () => {
    const app = await createTestApp(dialect);
    await app.directory.import({ accounts: app.write('accounts.csv', ACCOUNTS) });
    const incidentId = await openTestIncident(app);
    await app.datasets.import({ incidentId, path: app.write('people.ndjson', RECORDS), format: 'auto' });
    const datasetRows = async () =>
      (
        await sql<{ reltuples: number }>`select reltuples from pg_class where relname = 'dataset'`.execute(
          app.store.db,
        )
      ).rows[0]?.reltuples;
    expect(await datasetRows()).toBe(-1);
    await app.impact.rematch(incidentId);
    expect(await datasetRows()).toBe(1);
  });
});
