import type { Kysely, Migration } from 'kysely';

/**
 * Exposed records and matches are read and rebuilt a whole incident at a time (matching, purge);
 * the statements group or join by user id, email and person key as they go, by sort or hash. The
 * indexes on those random keyed hashes cost most of a bulk load's inserts and page cache, and
 * outgrow the cache at millions of rows: one index on the incident replaces them on each table.
 */
export function ingestIndexes(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const name of [
        'exposed_record_incident_user',
        'exposed_record_incident_email',
        'record_match_incident_user',
        'record_match_incident_person',
      ]) {
        await db.schema.dropIndex(name).execute();
      }
      await db.schema
        .createIndex('exposed_record_incident')
        .on('exposed_record')
        .column('incident_id')
        .execute();
      await db.schema.createIndex('record_match_incident').on('record_match').column('incident_id').execute();
    },
  };
}
