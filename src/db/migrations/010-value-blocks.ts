import type { Kysely, Migration } from 'kysely';

/**
 * Exposed values are sealed a block of records at a time: one AES-GCM seal per record cost more
 * than the rest of a record's import. A row of `exposed_value` now holds the values of
 * `record_count` records of its dataset, the first at `ordinal`, sealed together; rows written
 * before this migration hold one record each, which is what the default says.
 */
export function valueBlocks(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('exposed_value')
        .addColumn('record_count', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
    },
  };
}
