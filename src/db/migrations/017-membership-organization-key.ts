import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A membership carries its organization's keyed id, as the organization and the dataset's org keys
 * do: matching then reads a person's organizations from one covering index, in key order, without
 * a probe into `organization` per membership (at a million people: 1.2 million probes and a sort
 * of every pair). Memberships written before are given their organization's key here.
 */
export function membershipOrganizationKey(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('membership').addColumn('organization_key', 'text').execute();
      await sql`update membership set organization_key =
                  (select o.id_key from organization o where o.id = membership.organization_id)`.execute(db);
      await db.schema.dropIndex('membership_account_organization').execute();
      await db.schema
        .createIndex('membership_account_organization_key')
        .on('membership')
        .columns(['account_id', 'organization_key'])
        .execute();
    },
  };
}
