import type { Kysely, Migration } from 'kysely';

/** The company's brands and official domains, for the monitor: one row per entry. */
export function monitorIdentity(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('identity_entry')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('identity_entry_pk', ['kind', 'value'])
        .execute();
    },
  };
}
