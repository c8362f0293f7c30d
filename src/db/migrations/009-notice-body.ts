import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Sending rewrites a notice's row twice (claim, result). With the sealed bodies in it that row is
 * tens of kilobytes, and SQLite rewrites every overflow page of it each time; the bodies move to
 * their own table, written once when planned. The claim walks each status's notices in id order
 * and stops at the batch size (index `notice_claim`) instead of reading all of an incident's.
 */
export function noticeBody(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('notice_body')
        .addColumn('notice_id', 'text', (c) => c.primaryKey().references('notice.id'))
        .addColumn('text_sealed', 'text')
        .addColumn('html_sealed', 'text')
        .execute();
      await sql`insert into notice_body (notice_id, text_sealed, html_sealed)
        select id, text_sealed, html_sealed from notice`.execute(db);
      await db.schema.alterTable('notice').dropColumn('text_sealed').execute();
      await db.schema.alterTable('notice').dropColumn('html_sealed').execute();
      await db.schema
        .createIndex('notice_claim')
        .on('notice')
        .columns(['incident_id', 'status', 'id'])
        .execute();
    },
  };
}
