import type { Insertable, Kysely } from 'kysely';
import type { AccountTable, Database, MembershipTable, OrganizationTable } from './schema.js';

export class DirectoryRepository {
  constructor(private readonly db: Kysely<Database>) {}

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
