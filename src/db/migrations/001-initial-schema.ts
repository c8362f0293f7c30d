import { type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../database.js';

export function initialSchema(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('setting')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('vendor')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('categories', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('incident')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendor.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('exposed', 'text', (c) => c.notNull())
        .addColumn('not_exposed', 'text', (c) => c.notNull())
        .addColumn('aware_at', 'text')
        .addColumn('opened_at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('account')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text')
        .addColumn('email_norm', 'text')
        .addColumn('id_key', 'text', (c) => c.notNull())
        .addColumn('email_key', 'text')
        .addColumn('name', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('locale', 'text')
        .addColumn('attributes', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('account_id_key').on('account').column('id_key').execute();
      await db.schema.createIndex('account_email_key').on('account').column('email_key').execute();

      await db.schema
        .createTable('organization')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('id_key', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('organization_id_key').on('organization').column('id_key').execute();

      await db.schema
        .createTable('membership')
        .addColumn('organization_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('membership_pk', ['organization_id', 'account_id'])
        .execute();
      await db.schema.createIndex('membership_account').on('membership').column('account_id').execute();

      await db.schema
        .createTable('dataset')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id'))
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('size_bytes', 'bigint', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('layout', 'text', (c) => c.notNull())
        .addColumn('compression', 'text', (c) => c.notNull())
        .addColumn('org_keys', 'text', (c) => c.notNull())
        .addColumn('mapping', 'text', (c) => c.notNull())
        .addColumn('importer_version', 'text', (c) => c.notNull())
        .addColumn('rows_read', 'integer', (c) => c.notNull())
        .addColumn('rows_valid', 'integer', (c) => c.notNull())
        .addColumn('rows_quarantined', 'integer', (c) => c.notNull())
        .addColumn('unknown_fields', 'text', (c) => c.notNull())
        .addColumn('imported_at', 'text', (c) => c.notNull())
        .addColumn('imported_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('dataset_incident').on('dataset').columns(['incident_id']).execute();

      await db.schema
        .createTable('exposed_record')
        .addColumn('dataset_id', 'text', (c) => c.notNull().references('dataset.id'))
        .addColumn('ordinal', 'integer', (c) => c.notNull())
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('line', 'integer', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('user_key', 'text')
        .addColumn('email_key', 'text')
        .addColumn('email_sealed', 'text')
        .addColumn('category_mask', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('exposed_record_pk', ['dataset_id', 'ordinal'])
        .execute();
      await db.schema
        .createIndex('exposed_record_incident_user')
        .on('exposed_record')
        // email_key last: a same-user-id sibling's address is then one index probe.
        .columns(['incident_id', 'user_key', 'email_key'])
        .execute();
      await db.schema
        .createIndex('exposed_record_incident_email')
        .on('exposed_record')
        .columns(['incident_id', 'email_key'])
        .execute();

      // What matching decided for each record: rebuilt by inserts, so records are never rewritten.
      await db.schema
        .createTable('record_match')
        .addColumn('dataset_id', 'text', (c) => c.notNull())
        .addColumn('ordinal', 'integer', (c) => c.notNull())
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('user_key', 'text')
        .addColumn('email_key', 'text')
        .addColumn('category_mask', 'integer', (c) => c.notNull())
        .addColumn('account_id', 'text')
        .addColumn('match_rule', 'text')
        .addColumn('person_key', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('record_match_pk', ['dataset_id', 'ordinal'])
        .execute();
      await db.schema
        .createIndex('record_match_incident_user')
        .on('record_match')
        .columns(['incident_id', 'user_key', 'email_key'])
        .execute();
      await db.schema
        .createIndex('record_match_incident_person')
        .on('record_match')
        .columns(['incident_id', 'person_key'])
        .execute();

      // Sealed values live apart from the record so matching rewrites narrow rows only.
      await db.schema
        .createTable('exposed_value')
        .addColumn('dataset_id', 'text', (c) => c.notNull())
        .addColumn('ordinal', 'integer', (c) => c.notNull())
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('values_sealed', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('exposed_value_pk', ['dataset_id', 'ordinal'])
        .execute();
      await db.schema
        .createIndex('exposed_value_incident')
        .on('exposed_value')
        .column('incident_id')
        .execute();

      await db.schema
        .createTable('record_organization')
        .addColumn('dataset_id', 'text', (c) => c.notNull())
        .addColumn('ordinal', 'integer', (c) => c.notNull())
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('organization_key', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('record_organization_pk', ['dataset_id', 'ordinal', 'organization_key'])
        .execute();

      await db.schema
        .createTable('quarantined_row')
        .addColumn('dataset_id', 'text', (c) => c.notNull().references('dataset.id'))
        .addColumn('ordinal', 'integer', (c) => c.notNull())
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('line', 'integer', (c) => c.notNull())
        .addColumn('byte_offset', 'bigint', (c) => c.notNull())
        .addColumn('source', 'text')
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('field', 'text')
        .addPrimaryKeyConstraint('quarantined_row_pk', ['dataset_id', 'ordinal'])
        .execute();

      await db.schema
        .createTable('person')
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('person_key', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text')
        .addColumn('address', 'text')
        .addColumn('address_sealed', 'text')
        .addColumn('address_key', 'text')
        .addColumn('category_mask', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('person_pk', ['incident_id', 'person_key'])
        .execute();
      await db.schema
        .createIndex('person_incident_address')
        .on('person')
        .columns(['incident_id', 'address_key'])
        .execute();

      await db.schema
        .createTable('person_organization')
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('person_key', 'text', (c) => c.notNull())
        .addColumn('organization_key', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('person_organization_pk', ['incident_id', 'organization_key', 'person_key'])
        .execute();
      await db.schema
        .createIndex('person_organization_person')
        .on('person_organization')
        .columns(['incident_id', 'person_key'])
        .execute();

      await db.schema
        .createTable('notice')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id'))
        .addColumn('recipient_sealed', 'text')
        .addColumn('recipient_key', 'text', (c) => c.notNull())
        .addColumn('recipient_domain', 'text', (c) => c.notNull())
        .addColumn('reference_code', 'text', (c) => c.notNull().unique())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('text_sealed', 'text')
        .addColumn('html_sealed', 'text')
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('approved_by', 'text')
        .addColumn('approved_at', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text')
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'text')
        .addColumn('last_error', 'text')
        .addColumn('sent_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('notice_incident_recipient', ['incident_id', 'recipient_key'])
        .execute();
      await db.schema.createIndex('notice_outbox').on('notice').columns(['incident_id', 'status']).execute();

      await db.schema
        .createTable('audit_entry')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('incident_id', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
