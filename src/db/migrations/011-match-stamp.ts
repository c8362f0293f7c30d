import type { Kysely, Migration } from 'kysely';

/**
 * Matching rebuilds an incident's matches and people from its datasets and the directory; every
 * command that reads them re-ran it. A stamp of those inputs per incident, written with the people
 * it produced, lets an unchanged incident skip the rebuild. No stamp yet means "match again".
 * Matching probes the directory by id key and email key once per record for the account id:
 * with the id in those indexes the probe never reads the account's (wide) row.
 */
export function matchStamp(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('match_stamp')
        .addColumn('incident_id', 'text', (c) => c.primaryKey().references('incident.id'))
        .addColumn('stamp', 'text', (c) => c.notNull())
        .addColumn('matched_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.dropIndex('account_id_key').execute();
      await db.schema.createIndex('account_id_key_id').on('account').columns(['id_key', 'id']).execute();
      await db.schema.dropIndex('account_email_key').execute();
      await db.schema
        .createIndex('account_email_key_id')
        .on('account')
        .columns(['email_key', 'id'])
        .execute();
    },
  };
}
