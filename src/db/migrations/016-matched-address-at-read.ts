import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * A matched person's address is their account's current email, read when a notice is planned, not
 * copied into `person`: building the people then reads no account row (at a million people that
 * read was a random probe each, a quarter of the people's cost). The account probe by user id
 * carries the account's email key in its covering index, kept per record in `record_match`. On
 * SQLite `person` is clustered by its key (`WITHOUT ROWID`): one b-tree less to write, and scans
 * of an incident's people follow the key whichever secondary index was built last. Derived rows:
 * the next matching rebuilds them (`MATCH_RULES` changed with this layout).
 */
export function matchedAddressAtRead(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('record_match').addColumn('account_email_key', 'text').execute();
      await db.schema.dropIndex('account_id_key_id').execute();
      await db.schema
        .createIndex('account_id_key_email')
        .on('account')
        .columns(['id_key', 'id', 'email_key'])
        .execute();
      if (dialect !== 'sqlite') {
        await db.schema.alterTable('person').dropColumn('address').execute();
        return;
      }
      await db.schema
        .createTable('person_clustered')
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('person_key', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text')
        .addColumn('address_sealed', 'text')
        .addColumn('address_key', 'text')
        .addColumn('category_mask', 'integer', (c) => c.notNull())
        .addColumn('country', 'text')
        .addColumn('region', 'text')
        .addColumn('record_count', 'integer')
        .addPrimaryKeyConstraint('person_pk', ['incident_id', 'person_key'])
        .modifyEnd(sql`without rowid`)
        .execute();
      await sql`insert into person_clustered
                  (incident_id, person_key, kind, account_id, address_sealed, address_key, category_mask,
                   country, region, record_count)
                select incident_id, person_key, kind, account_id, address_sealed, address_key, category_mask,
                       country, region, record_count
                  from person order by incident_id, person_key`.execute(db);
      await db.schema.dropTable('person').execute();
      await db.schema.alterTable('person_clustered').renameTo('person').execute();
      await db.schema
        .createIndex('person_incident_address')
        .on('person')
        .columns(['incident_id', 'address_key'])
        .execute();
      await db.schema
        .createIndex('person_incident_account')
        .on('person')
        .columns(['incident_id', 'account_id'])
        .execute();
    },
  };
}
