import type { Kysely, Migration } from 'kysely';

/**
 * Index `notice_outbox` (incident_id, status) is a prefix of `notice_claim` (incident_id, status,
 * id), which serves every query it served; while sending, each status change rewrote both.
 */
export function noticeOutboxIndex(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.dropIndex('notice_outbox').ifExists().execute();
    },
  };
}
