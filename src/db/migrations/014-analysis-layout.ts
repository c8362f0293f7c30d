import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Matching writes a million-person incident's people and their organizations in one pass: a
 * b-tree written in key order costs a fifth of one written at random. So the person–organization
 * pairs are stored twice, each clustered by how it is read (by person; by organization), both
 * written in key order, replacing a table plus a random-order index. Memberships get covering
 * indexes for matching's probes by account and, for admins, by organization and role. Derived
 * rows only: the next matching rebuilds them (`MATCH_RULES` changed with this layout).
 */
export function analysisLayout(dialect: DialectName): Migration {
  const clustered = dialect === 'sqlite' ? sql`without rowid` : sql``;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.dropTable('person_organization').execute();
      await db.schema
        .createTable('person_organization')
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('person_key', 'text', (c) => c.notNull())
        .addColumn('organization_key', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('person_organization_pk', ['incident_id', 'person_key', 'organization_key'])
        .modifyEnd(clustered)
        .execute();
      await db.schema
        .createTable('organization_person')
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('organization_key', 'text', (c) => c.notNull())
        .addColumn('person_key', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('organization_person_pk', ['incident_id', 'organization_key', 'person_key'])
        .modifyEnd(clustered)
        .execute();
      await db.schema.alterTable('person').addColumn('record_count', 'integer').execute();
      await db.schema.dropIndex('membership_account').execute();
      await db.schema
        .createIndex('membership_account_organization')
        .on('membership')
        .columns(['account_id', 'organization_id'])
        .execute();
      await db.schema
        .createIndex('membership_organization_role')
        .on('membership')
        .columns(['organization_id', 'role', 'account_id'])
        .execute();
    },
  };
}
