import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/database.js';
import type { Database } from '../../src/db/schema.js';
import { testDialects } from '../support/databases.js';
import { migratedBefore } from '../support/migrated-before.js';
import { createTestApp, openTestIncident, profiles } from '../support/test-app.js';

describe.each(testDialects())('people on %s', (dialect) => {
  it('keeps every person written before migration 016, without a copy of the account address', async () => {
    const { database, old } = await migratedBefore(dialect, '016');
    await sql`insert into person
        (incident_id, person_key, kind, account_id, address, address_sealed, address_key, category_mask,
         country, region, record_count)
      values ('i1', 'email:k2', 'unmatched_contactable', null, null, 'sealed', 'k2', 3, 'FR', null, 2),
             ('i1', 'account:u1', 'matched', 'u1', 'alice@example.com', null, 'k1', 5, 'US', 'CA', 1)`.execute(
      old.db,
    );
    await old.close();

    const store = await openStore(database.location);
    try {
      const people = await store.db.selectFrom('person').selectAll().orderBy('person_key').execute();
      expect(people).toEqual([
        {
          incident_id: 'i1',
          person_key: 'account:u1',
          kind: 'matched',
          account_id: 'u1',
          address_sealed: null,
          address_key: 'k1',
          category_mask: 5,
          country: 'US',
          region: 'CA',
          record_count: 1,
        },
        {
          incident_id: 'i1',
          person_key: 'email:k2',
          kind: 'unmatched_contactable',
          account_id: null,
          address_sealed: 'sealed',
          address_key: 'k2',
          category_mask: 3,
          country: 'FR',
          region: null,
          record_count: 2,
        },
      ]);
      await expect(
        sql`insert into person (incident_id, person_key, kind, category_mask)
            values ('i1', 'account:u1', 'matched', 0)`.execute(store.db),
      ).rejects.toThrow(/unique|duplicate/i);
      const indexes = await indexesOf(store.db, dialect);
      expect(indexes).toEqual(expect.arrayContaining(['person_incident_account', 'person_incident_address']));
    } finally {
      await store.close();
      await database.drop();
    }
  });

  it("builds the people's indexes again after matching drops them to write the people", async () => {
    const app = await createTestApp(dialect);
    await app.directory.import({ accounts: app.write('accounts.csv', 'id,email\nu1,alice@example.com\n') });
    const incidentId = await openTestIncident(app);
    await app.datasets.import({
      incidentId,
      path: app.write(
        'people.ndjson',
        profiles({ $distinct_id: 'u1' }, { $distinct_id: 'x', $properties: { $email: 'x@example.org' } }),
      ),
      format: 'auto',
    });
    const before = await indexesOf(app.store.db, dialect);
    expect(await app.impact.analyze(incidentId)).toMatchObject({ people: { total: 2, matched: 1 } });
    expect((await indexesOf(app.store.db, dialect)).sort()).toEqual(before.sort());
    expect(before).toEqual(expect.arrayContaining(['person_incident_account', 'person_incident_address']));
  });
});

async function indexesOf(db: Kysely<Database>, dialect: string) {
  const { rows } =
    dialect === 'sqlite'
      ? await sql<{
          name: string;
        }>`select name from sqlite_schema where tbl_name = 'person' and type = 'index'`.execute(db)
      : await sql<{
          name: string;
        }>`select indexname as name from pg_indexes where tablename = 'person'`.execute(db);
  return rows.map((row) => row.name);
}
