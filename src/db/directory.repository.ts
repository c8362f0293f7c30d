import { CompiledQuery, sql, type Insertable, type Kysely } from 'kysely';
import type { DialectCapabilities } from './database.js';
import { probingRows } from './probe-order.js';
import { dropSecondaryIndexes, restoreIndexes } from './secondary-indexes.js';
import type { AccountTable, Database, MembershipTable, OrganizationTable } from './schema.js';

/** The tables a directory import writes, one file each. */
export type DirectoryTable = 'account' | 'organization' | 'membership';

export interface StagedRows {
  account: Omit<Insertable<AccountTable>, 'updated_at'>;
  organization: Omit<Insertable<OrganizationTable>, 'updated_at'>;
  membership: Insertable<MembershipTable>;
}

/**
 * The rows of one directory file as read, before they reach their table: a temporary table per
 * file, with the line each row came from, so the database (not a set in memory) finds a key given
 * twice, and the file reaches its table in one statement, in key order.
 */
interface Stage {
  name: string;
  columns: readonly string[];
  /** The table's primary key: two rows of one file with the same key are a duplicate. */
  key: readonly string[];
  /** Columns a re-import replaces on a row already stored. */
  updated: readonly string[];
  /** Whether the table has an `updated_at`, set to the import's time on every row of the file. */
  stamped: boolean;
}

const ACCOUNT_COLUMNS = [
  'id',
  'email',
  'email_norm',
  'id_key',
  'email_key',
  'name',
  'status',
  'locale',
  'attributes',
  'country',
  'region',
] as const;

const STAGES: Record<DirectoryTable, Stage> = {
  account: {
    name: 'directory_stage_account',
    columns: ACCOUNT_COLUMNS,
    key: ['id'],
    // An account's id, and so its keyed hash, never changes.
    updated: ACCOUNT_COLUMNS.filter((column) => column !== 'id' && column !== 'id_key'),
    stamped: true,
  },
  organization: {
    name: 'directory_stage_organization',
    columns: ['id', 'id_key', 'name'],
    key: ['id'],
    updated: ['name'],
    stamped: true,
  },
  membership: {
    name: 'directory_stage_membership',
    columns: ['organization_id', 'organization_key', 'account_id', 'role'],
    key: ['organization_id', 'account_id'],
    updated: ['role'],
    stamped: false,
  },
};

/** The second row of a file with a key already given on an earlier line. */
export interface DuplicateRow {
  line: number;
  key: string[];
}

/** The first membership of a file naming an account or organization the directory does not hold. */
export interface UnknownMember {
  line: number;
  organizationId: string;
  accountId: string;
  accountKnown: boolean;
}

/** Counts directory imports: matching stamps it, so any change to the directory re-matches. */
const VERSION_SETTING = 'directory_version';

export class DirectoryRepository {
  /** The text of a stage's insert of so many rows, made once (see `stage`). */
  private readonly stageInserts = new Map<string, string>();

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

  /** Runs the transaction of one import, which `work` opens (see `DialectCapabilities.bulkLoad`). */
  bulkLoad<T>(work: () => Promise<T>): Promise<T> {
    return this.capabilities.bulkLoad(this.db, work);
  }

  /** Room for the import's sorts of a whole file (see `DialectCapabilities.roomForSorts`). */
  roomForSorts(): Promise<void> {
    return this.capabilities.roomForSorts(this.db);
  }

  /** An empty stage for one file (see `Stage`); the transaction's rollback takes it away too. */
  async openStage(table: DirectoryTable): Promise<void> {
    const { name, columns } = STAGES[table];
    await sql
      .raw(
        `create temporary table ${name} (line integer not null, ${columns.map((c) => `${c} text`).join(', ')})`,
      )
      .execute(this.db);
  }

  /** Appends rows to the stage, `lines[i]` the file's line of `rows[i]`, as one prepared statement. */
  async stage<T extends DirectoryTable>(
    table: T,
    lines: readonly number[],
    rows: readonly StagedRows[T][],
  ): Promise<void> {
    if (rows.length === 0) return;
    const { columns } = STAGES[table];
    const parameters: unknown[] = [];
    rows.forEach((row, i) => {
      parameters.push(lines[i]);
      for (const column of columns) parameters.push((row as Record<string, unknown>)[column] ?? null);
    });
    // Built by hand, not by Kysely's builder: compiling a statement of thousands of values was the
    // import's largest cost in JavaScript, and the text is the same for every full batch.
    await this.db.executeQuery(CompiledQuery.raw(this.stageInsert(table, rows.length), parameters));
  }

  /**
   * Whether two staged rows share a key: a grouping, which sorts only the key and spills to disk past
   * the page cache (SQLite) or work_mem (PostgreSQL), not a set in memory; at a million rows a third
   * of the time of `firstDuplicate`'s window, which is only needed to name the line.
   */
  async hasDuplicate(table: DirectoryTable): Promise<boolean> {
    const { name, key } = STAGES[table];
    const keys = sql.raw(key.join(', '));
    const { rows } = await sql`
      select 1 as found from ${sql.raw(name)} group by ${keys} having count(*) > 1 limit 1`.execute(this.db);
    return rows.length > 0;
  }

  /** The first line (in file order) repeating a key of an earlier line, if any. */
  async firstDuplicate(table: DirectoryTable): Promise<DuplicateRow | undefined> {
    const { name, key } = STAGES[table];
    const keys = key.join(', ');
    // In key order, a duplicate is a row whose key equals the row's before it.
    const { rows } = await sql<Record<string, string> & { line: number }>`
      select * from (
        select line, ${sql.raw(keys)}, ${sql.raw(key.map((c) => `lag(${c}) over (order by ${keys}, line) as previous_${c}`).join(', '))}
          from ${sql.raw(name)}
      ) ordered
      where ${sql.raw(key.map((c) => `${c} = previous_${c}`).join(' and '))}
      order by line
      limit 1`.execute(this.db);
    const row = rows[0];
    return row === undefined ? undefined : { line: Number(row.line), key: key.map((c) => row[c]!) };
  }

  /** The first staged membership naming an account or organization not in the directory. */
  async firstUnknownMember(): Promise<UnknownMember | undefined> {
    // Probed in account order on SQLite (see `probingRows`): at a million, 4.0 -> 2.6 s.
    const staged = probingRows(
      this.capabilities,
      sql`select line, organization_id, account_id from directory_stage_membership`,
      sql`account_id`,
    );
    const { rows } = await sql<{
      line: number;
      organization_id: string;
      account_id: string;
      account_known: number;
    }>`
      with staged as ${staged}
      select line, organization_id, account_id,
             case when exists (select 1 from account a where a.id = s.account_id) then 1 else 0 end as account_known
        from staged s
       where not exists (select 1 from account a where a.id = s.account_id)
          or not exists (select 1 from organization o where o.id = s.organization_id)
       order by line
       limit 1`.execute(this.db);
    const row = rows[0];
    if (row === undefined) return undefined;
    return {
      line: Number(row.line),
      organizationId: row.organization_id,
      accountId: row.account_id,
      accountKnown: Number(row.account_known) === 1,
    };
  }

  /**
   * Writes the staged rows to their table in key order (a row already stored is updated in place):
   * sorted, a million new keys append to the key's b-tree instead of landing on random pages of it.
   * The stage must hold no duplicate (see `firstDuplicate`).
   */
  async mergeStage(table: DirectoryTable, updatedAt: string): Promise<void> {
    const { name, columns, key, updated, stamped } = STAGES[table];
    const targets = stamped ? [...columns, 'updated_at'] : columns;
    const changed = stamped ? [...updated, 'updated_at'] : updated;
    // `where true`: SQLite would otherwise read `on conflict` as the start of a join constraint.
    await sql`
      insert into ${sql.table(table)} (${sql.raw(targets.join(', '))})
      select ${sql.raw(columns.join(', '))}${stamped ? sql`, ${updatedAt}` : sql``}
        from ${sql.raw(name)}
       where true
       order by ${sql.raw(key.join(', '))}
      on conflict (${sql.raw(key.join(', '))})
      do update set ${sql.raw(changed.map((c) => `${c} = excluded.${c}`).join(', '))}`.execute(this.db);
  }

  async closeStage(table: DirectoryTable): Promise<void> {
    await sql.raw(`drop table ${STAGES[table].name}`).execute(this.db);
  }

  /** Compiled by Kysely once per table and batch size, so each dialect gets its own placeholders. */
  private stageInsert(table: DirectoryTable, rows: number): string {
    const cached = this.stageInserts.get(`${table} ${rows}`);
    if (cached !== undefined) return cached;
    const { name, columns } = STAGES[table];
    const tuple = sql`(${sql.join(Array.from({ length: columns.length + 1 }, () => null))})`;
    const { sql: text } =
      sql`insert into ${sql.raw(name)} (line, ${sql.raw(columns.join(', '))}) values ${sql.join(
        Array.from({ length: rows }, () => tuple),
      )}`.compile(this.db);
    this.stageInserts.set(`${table} ${rows}`, text);
    return text;
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
