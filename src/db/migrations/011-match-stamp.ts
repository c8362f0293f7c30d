import type { Kysely, Migration } from 'kysely';

/**
 * Matching rebuilds an incident's matches and people from its datasets and the directory; every
 * command that reads them re-ran it. A stamp of those inputs per incident, written with the people
 * it produced, lets an unchanged incident skip the rebuild. No stamp yet means "match again".
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
    },
  };
}
