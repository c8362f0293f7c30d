import { type Kysely, type Migration } from 'kysely';

/** Inbound mail received by `monitor listen`: reported phishing and bounces, sealed, deduplicated by hash. */
export function inboundMessage(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('inbound_message')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('sha256', 'text', (c) => c.notNull().unique())
        .addColumn('original_sha256', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('size_bytes', 'bigint', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('duplicate_count', 'integer', (c) => c.notNull())
        .addColumn('from_domain', 'text')
        .addColumn('addressed_by', 'text', (c) => c.notNull())
        .addColumn('subject_sealed', 'text')
        .addColumn('headers_sealed', 'text')
        .addColumn('raw_sealed', 'text')
        .addColumn('verdict', 'text')
        .addColumn('score', 'double precision')
        .addColumn('reasons', 'text', (c) => c.notNull())
        .addColumn('bounce_outcome', 'text')
        .execute();
      await db.schema
        .createIndex('inbound_message_verdict')
        .on('inbound_message')
        .columns(['verdict', 'received_at'])
        .execute();

      await db.schema
        .createTable('inbound_recipient')
        .addColumn('message_id', 'text', (c) => c.notNull().references('inbound_message.id'))
        .addColumn('recipient_key', 'text', (c) => c.notNull())
        .addColumn('recipient_domain', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('inbound_recipient_pk', ['message_id', 'recipient_key'])
        .execute();
      await db.schema
        .createIndex('inbound_recipient_key')
        .on('inbound_recipient')
        .column('recipient_key')
        .execute();
    },
  };
}
