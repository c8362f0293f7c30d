import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * On SQLite a record's organizations are stored in their primary key's order, the key itself the
 * table (`WITHOUT ROWID`): a rowid table kept every row twice, once in the table and once in the
 * key's index, so an import wrote two b-trees of ~840,000 rows per million records. The columns and
 * the key are unchanged; PostgreSQL has no such choice and keeps its table.
 */
export function clusteredRecordOrganization(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'sqlite') return;
      await db.schema
        .createTable('record_organization_clustered')
        .addColumn('dataset_id', 'text', (c) => c.notNull())
        .addColumn('ordinal', 'integer', (c) => c.notNull())
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('organization_key', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('record_organization_pk', ['dataset_id', 'ordinal', 'organization_key'])
        .modifyEnd(sql`without rowid`)
        .execute();
      await sql`insert into record_organization_clustered
                  (dataset_id, ordinal, incident_id, organization_key)
                select dataset_id, ordinal, incident_id, organization_key from record_organization
                 order by dataset_id, ordinal, organization_key`.execute(db);
      await db.schema.dropTable('record_organization').execute();
      await db.schema.alterTable('record_organization_clustered').renameTo('record_organization').execute();
    },
  };
}
