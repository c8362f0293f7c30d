import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * PostgreSQL columns that matching sorts, groups, joins and indexes, by table. Their values are
 * opaque ASCII (keyed hashes, ids, `account:`/`email:` person keys); each join pairs two of them.
 */
export const BYTE_ORDER_KEYS = {
  record_match: ['user_key', 'email_key', 'account_id', 'account_email_key', 'person_key'],
  person: ['person_key', 'account_id', 'address_key'],
  person_organization: ['person_key', 'organization_key'],
  organization_person: ['organization_key', 'person_key'],
  exposed_record: ['user_key', 'email_key'],
  record_organization: ['organization_key'],
  account: ['id', 'id_key', 'email_key'],
  organization: ['id', 'id_key'],
  membership: ['organization_id', 'account_id', 'organization_key'],
  notice: ['recipient_key'],
  inbound_recipient: ['recipient_key'],
} as const;

/**
 * On PostgreSQL the key columns compare byte-wise (`COLLATE "C"`), as SQLite's BINARY does: under
 * the database's locale (C.UTF-8, en_US.UTF-8) every comparison of a sort, a group or a b-tree
 * insert went through strcoll and sorts had no abbreviated keys. Only indexes are rebuilt (the type
 * stays text, so no table is rewritten): about 20 s at a million records. `person` keeps a tenth of
 * each page free, so placing people (an update of one row in ten) stays on the page and writes no
 * index entry. SQLite unchanged.
 */
export function byteOrderKeys(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      for (const [table, columns] of Object.entries(BYTE_ORDER_KEYS)) {
        const changes = columns.map((column) => sql`alter column ${sql.id(column)} type text collate "C"`);
        await sql`alter table ${sql.table(table)} ${sql.join(changes)}`.execute(db);
      }
      await sql`alter table person set (fillfactor = 90)`.execute(db);
    },
  };
}
