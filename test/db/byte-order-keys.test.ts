import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/database.js';
import { BYTE_ORDER_KEYS } from '../../src/db/migrations/020-byte-order-keys.js';
import { testDialects } from '../support/databases.js';
import { migratedBefore } from '../support/migrated-before.js';

/** Keys that a locale orders otherwise (case, punctuation, digits): byte order is JS's for ASCII. */
const KEYS = ['account:b', 'account:B', 'account:_x', 'account:a-1', 'account:a1', 'email:Zz', 'email:a'];

describe.each(testDialects())('key columns on %s', (dialect) => {
  it('keep every row through migration 020 and sort people and pairs in byte order', async () => {
    const { database, old } = await migratedBefore(dialect, '020');
    for (const key of KEYS) {
      await sql`insert into person (incident_id, person_key, kind, account_id, address_key, category_mask)
        values ('inc-1', ${key}, 'matched', ${key.slice(8)}, ${`addr-${key}`}, 1)`.execute(old.db);
      await sql`insert into person_organization (incident_id, person_key, organization_key)
        values ('inc-1', ${key}, 'org-1')`.execute(old.db);
    }
    await old.close();

    const store = await openStore(database.location);
    try {
      const people = await store.db
        .selectFrom('person')
        .select(['person_key', 'address_key'])
        .where('incident_id', '=', 'inc-1')
        .orderBy('person_key')
        .execute();
      const byteOrder = [...KEYS].sort();
      expect(people.map((p) => p.person_key)).toEqual(byteOrder);
      expect(people.map((p) => p.address_key)).toEqual(byteOrder.map((key) => `addr-${key}`));
      const pairs = await store.db
        .selectFrom('person_organization')
        .select('person_key')
        .where('person_key', '>', 'account:a')
        .orderBy('person_key')
        .execute();
      expect(pairs.map((p) => p.person_key)).toEqual(byteOrder.filter((key) => key > 'account:a'));
    } finally {
      await store.close();
      await database.drop();
    }
  });
});

describe.each(testDialects().filter((dialect) => dialect === 'postgres'))('key columns on %s', (dialect) => {
  it('are collated "C" after migration 020, and person keeps room for updates in place', async () => {
    const { database, old } = await migratedBefore(dialect, '021');
    try {
      const { rows } = await sql<{ table_name: string; column_name: string; collation_name: string | null }>`
        select table_name, column_name, collation_name from information_schema.columns
         where table_schema = current_schema()`.execute(old.db);
      const collation = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r.collation_name]));
      for (const [table, columns] of Object.entries(BYTE_ORDER_KEYS))
        for (const column of columns) expect(collation.get(`${table}.${column}`)).toBe('C');
      expect(collation.get('person.incident_id')).toBeNull();
      const options = await sql<{ reloptions: string[] | null }>`
        select reloptions from pg_class where relname = 'person'`.execute(old.db);
      expect(options.rows[0]?.reloptions).toEqual(['fillfactor=90']);
    } finally {
      await old.close();
      await database.drop();
    }
  });
});
