import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/database.js';
import { testDialects } from '../support/databases.js';
import { migratedBefore } from '../support/migrated-before.js';

describe.each(testDialects())("records' organizations on %s", (dialect) => {
  it('keeps every row written before migration 015, and its primary key', async () => {
    const { database, old } = await migratedBefore(dialect, '015');
    await sql`insert into record_organization (dataset_id, ordinal, incident_id, organization_key)
      values ('d2', 1, 'i1', 'k-b'), ('d1', 7, 'i1', 'k-a'), ('d1', 7, 'i1', 'k-c'), ('d1', 2, 'i1', 'k-a')`.execute(
      old.db,
    );
    await old.close();

    const store = await openStore(database.location);
    try {
      const rows = await store.db
        .selectFrom('record_organization')
        .select(['dataset_id', 'ordinal', 'incident_id', 'organization_key'])
        .orderBy('dataset_id')
        .orderBy('ordinal')
        .orderBy('organization_key')
        .execute();
      expect(rows.map((r) => `${r.dataset_id}/${r.ordinal}/${r.incident_id}/${r.organization_key}`)).toEqual([
        'd1/2/i1/k-a',
        'd1/7/i1/k-a',
        'd1/7/i1/k-c',
        'd2/1/i1/k-b',
      ]);
      await expect(
        sql`insert into record_organization (dataset_id, ordinal, incident_id, organization_key)
            values ('d1', 7, 'i1', 'k-a')`.execute(store.db),
      ).rejects.toThrow(/unique|duplicate/i);
      if (dialect === 'sqlite') {
        // The key is the table: no second b-tree holds every row again.
        const { rows: indexes } = await sql`select name from sqlite_schema
          where tbl_name = 'record_organization' and type = 'index'`.execute(store.db);
        expect(indexes).toEqual([]);
      }
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
