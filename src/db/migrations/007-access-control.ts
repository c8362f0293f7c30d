import { type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Users, sessions, API tokens and login attempts live in the database so several API replicas
 * share them; the impact summary is kept per incident so a dashboard read is one row, not a scan.
 */
export function accessControl(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('app_user')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('totp_sealed', 'text')
        .addColumn('totp_last_step', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('disabled_at', 'text')
        .execute();

      await db.schema
        .createTable('app_session')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('app_session_user').on('app_session').column('user_id').execute();

      await db.schema
        .createTable('api_token')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .execute();

      await db.schema
        .createTable('rate_event')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('bucket', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('rate_event_bucket_at')
        .on('rate_event')
        .columns(['bucket', 'at'])
        .execute();

      await db.schema
        .createTable('impact_summary')
        .addColumn('incident_id', 'text', (c) => c.primaryKey().references('incident.id'))
        .addColumn('computed_at', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .execute();

      // A person's organizations from one covering index: SQLite otherwise scans the whole
      // incident through the covering primary key rather than probe the narrower person index.
      await db.schema.dropIndex('person_organization_person').execute();
      await db.schema
        .createIndex('person_organization_person_org')
        .on('person_organization')
        .columns(['incident_id', 'person_key', 'organization_key'])
        .execute();

      // Person search by account id answers from an index, whatever the incident's size.
      await db.schema
        .createIndex('person_incident_account')
        .on('person')
        .columns(['incident_id', 'account_id'])
        .execute();
    },
  };
}
