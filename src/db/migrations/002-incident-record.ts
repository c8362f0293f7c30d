import { sql, type Kysely, type Migration } from 'kysely';
import { auditEntryHash, GENESIS_HASH, type ChainedFields } from '../../core/audit-chain.js';
import type { DialectName } from '../database.js';

/**
 * The incident record: status stages, a timeline, a decision log, and the audit log as a hash
 * chain. Entries written before this migration are chained here, in id order, so the chain covers
 * the whole log; what they said before this point is taken as it stands.
 */
export function incidentRecord(dialect: DialectName): Migration {
  const serial = dialect === 'postgres' ? 'bigserial' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('audit_entry')
        .addColumn('prev_hash', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .alterTable('audit_entry')
        .addColumn('hash', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      const { rows } = await sql<ChainedFields & { id: number }>`
        select id, at, actor, action, incident_id, detail from audit_entry order by id`.execute(db);
      let head = { id: 0, hash: GENESIS_HASH };
      for (const row of rows) {
        const hash = auditEntryHash({ ...row, prev_hash: head.hash });
        await sql`update audit_entry set prev_hash = ${head.hash}, hash = ${hash} where id = ${row.id}`.execute(
          db,
        );
        head = { id: Number(row.id), hash };
      }
      // Two appends that read the same head cannot both commit: the chain never forks.
      await db.schema
        .createIndex('audit_entry_prev_hash')
        .unique()
        .on('audit_entry')
        .column('prev_hash')
        .execute();
      await db.schema
        .createIndex('audit_entry_incident')
        .on('audit_entry')
        .columns(['incident_id', 'id'])
        .execute();
      await sql`insert into setting (name, value) values ('audit_head', ${JSON.stringify(head)})`.execute(db);

      await db.schema
        .createTable('incident_event')
        .addColumn('id', serial, (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('incident_event_incident')
        .on('incident_event')
        .columns(['incident_id', 'occurred_at'])
        .execute();

      await db.schema
        .createTable('decision')
        .addColumn('id', serial, (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id'))
        .addColumn('decided_at', 'text', (c) => c.notNull())
        .addColumn('decided_by', 'text', (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('decision_incident')
        .on('decision')
        .columns(['incident_id', 'decided_at'])
        .execute();

      // Incidents opened before the record existed start in triage, with what is known of their timeline.
      await sql`update incident set status = 'triage' where status = 'open'`.execute(db);
      await sql`
        insert into incident_event (incident_id, type, occurred_at, recorded_at, source, note, detail, recorded_by)
        select id, 'incident_opened', opened_at, opened_at, 'breachdesk', null, '{}', 'breachdesk'
        from incident`.execute(db);
      await sql`
        insert into incident_event (incident_id, type, occurred_at, recorded_at, source, note, detail, recorded_by)
        select id, 'vendor_informed_us', aware_at, opened_at, 'incident open --aware-at', null, '{}', 'breachdesk'
        from incident where aware_at is not null`.execute(db);
    },
  };
}
