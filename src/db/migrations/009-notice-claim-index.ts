import type { Kysely, Migration } from 'kysely';

/**
 * The outbox claim walks each status's notices in id order and stops at the batch size; without
 * this index every claim read (and on SQLite sorted) all of an incident's notices.
 */
export function noticeClaimIndex(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('notice_claim')
        .on('notice')
        .columns(['incident_id', 'status', 'id'])
        .execute();
    },
  };
}
