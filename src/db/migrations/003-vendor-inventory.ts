import { sql, type Kysely, type Migration } from 'kysely';

/** Vendor inventory (population, sub-processors, contract notice deadline, status history) and reviews. */
export function vendorInventory(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // The population filter's canonical text; null means every account.
      await db.schema.alterTable('vendor').addColumn('population', 'text').execute();
      await db.schema
        .alterTable('vendor')
        .addColumn('sub_processors', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
      await db.schema.alterTable('vendor').addColumn('notice_hours', 'integer').execute();

      await db.schema
        .createTable('vendor_status_change')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendor.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('vendor_status_change_vendor')
        .on('vendor_status_change')
        .columns(['vendor_id', 'at'])
        .execute();
      // Vendors recorded before this migration start their history with their creation.
      await sql`insert into vendor_status_change (id, vendor_id, status, at, note, recorded_at, recorded_by)
        select 'vsc_' || id, id, status, created_at, null, created_at, 'migration' from vendor`.execute(db);

      await db.schema
        .createTable('vendor_review')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendor.id'))
        .addColumn('catalogue_name', 'text', (c) => c.notNull())
        .addColumn('catalogue_version', 'integer', (c) => c.notNull())
        .addColumn('catalogue', 'text', (c) => c.notNull())
        .addColumn('answers', 'text', (c) => c.notNull())
        .addColumn('evidence', 'text', (c) => c.notNull())
        .addColumn('verdict', 'text', (c) => c.notNull())
        .addColumn('met', 'integer', (c) => c.notNull())
        .addColumn('not_met', 'integer', (c) => c.notNull())
        .addColumn('unknown', 'integer', (c) => c.notNull())
        .addColumn('reviewer', 'text', (c) => c.notNull())
        .addColumn('reviewed_at', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('vendor_review_vendor')
        .on('vendor_review')
        .columns(['vendor_id', 'reviewed_at'])
        .execute();

      await db.schema
        .createTable('vendor_finding')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('review_id', 'text', (c) => c.notNull().references('vendor_review.id'))
        .addColumn('vendor_id', 'text', (c) => c.notNull())
        .addColumn('requirement_id', 'text')
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('due_at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'text')
        .addColumn('closed_by', 'text')
        .addColumn('resolution', 'text')
        .execute();
      await db.schema
        .createIndex('vendor_finding_vendor')
        .on('vendor_finding')
        .columns(['vendor_id'])
        .execute();
    },
  };
}
