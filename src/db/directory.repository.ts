import { sql, type Insertable, type Kysely } from 'kysely';
import type { DialectCapabilities } from './database.js';
import { dropSecondaryIndexes, restoreIndexes } from './secondary-indexes.js';
import type { AccountTable, Database, MembershipTable, OrganizationTable } from './schema.js';

/** Counts directory imports: matching stamps it, so any change to the directory re-matches. */
const VERSION_SETTING = 'directory_version';

export class DirectoryRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly capabilities: DialectCapabilities,
  ) {}

  /** Indexes built once at the end of a bulk load (see `dropSecondaryIndexes`). */
  dropSecondaryIndexes(): Promise<string[]> {
    return dropSecondaryIndexes(this.db, this.capabilities, ['account', 'organization', 'membership']);
  }

  restoreIndexes(definitions: readonly string[]): Promise<void> {
    return restoreIndexes(this.db, definitions);
  }

  /** One atomic increment: two imports committing at once on PostgreSQL still get two versions. */
  async bumpVersion(): Promise<void> {
    await sql`
      insert into setting (name, value) values (${VERSION_SETTING}, '1')
      on conflict (name) do update set value = cast(cast(setting.value as integer) + 1 as text)`.execute(
      this.db,
    );
  }

  async version(): Promise<string | null> {
    const row = await this.db
      .selectFrom('setting')
      .select('value')
      .where('name', '=', VERSION_SETTING)
      .executeTakeFirst();
    return row?.value ?? null;
  }

  async upsertAccounts(rows: Insertable<AccountTable>[]): Promise<void> {
    await this.db
      .insertInto('account')
      .values(rows)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          email: eb.ref('excluded.email'),
          email_norm: eb.ref('excluded.email_norm'),
          email_key: eb.ref('excluded.email_key'),
          name: eb.ref('excluded.name'),
          status: eb.ref('excluded.status'),
          locale: eb.ref('excluded.locale'),
          attributes: eb.ref('excluded.attributes'),
          country: eb.ref('excluded.country'),
          region: eb.ref('excluded.region'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }

  async upsertOrganizations(rows: Insertable<OrganizationTable>[]): Promise<void> {
    await this.db
      .insertInto('organization')
      .values(rows)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }

  async upsertMemberships(rows: Insertable<MembershipTable>[]): Promise<void> {
    await this.db
      .insertInto('membership')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['organization_id', 'account_id'])
          .doUpdateSet((eb) => ({ role: eb.ref('excluded.role') })),
      )
      .execute();
  }

  async existingAccountIds(ids: readonly string[]): Promise<Set<string>> {
    const rows = await this.db.selectFrom('account').select('id').where('id', 'in', ids).execute();
    return new Set(rows.map((row) => row.id));
  }

  async existingOrganizationIds(ids: readonly string[]): Promise<Set<string>> {
    const rows = await this.db.selectFrom('organization').select('id').where('id', 'in', ids).execute();
    return new Set(rows.map((row) => row.id));
  }

  counts() {
    return this.db
      .selectNoFrom((eb) => [
        eb.selectFrom('account').select(eb.fn.countAll<number>().as('n')).as('accounts'),
        eb.selectFrom('organization').select(eb.fn.countAll<number>().as('n')).as('organizations'),
        eb.selectFrom('membership').select(eb.fn.countAll<number>().as('n')).as('memberships'),
      ])
      .executeTakeFirstOrThrow();
  }
}
