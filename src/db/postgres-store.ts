import { Kysely, PostgresDialect, sql, type Insertable } from 'kysely';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DialectCapabilities, Store, TableName } from './database.js';
import type { Database } from './schema.js';

const MAX_PARAMETERS = 65_535;
/** The advisory lock every audit append takes: "bdau" in ASCII. */
const AUDIT_LOCK = 0x62_64_61_75;

export function openPostgres(url: string): Store {
  // COUNT and SUM come back as bigint strings; every count here fits a JS number.
  pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the next query gets a fresh connection or a real error.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    capabilities: postgresCapabilities(null),
    async dedicated(work) {
      const client = await pool.connect();
      // Kysely releases its connection after each use; this one must stay ours until the end.
      const own = new Kysely<Database>({
        dialect: new PostgresDialect({
          pool: {
            connect: () => Promise.resolve({ query: client.query.bind(client), release: () => undefined }),
            end: () => Promise.resolve(),
          },
        }),
      });
      try {
        return await work({
          db: own,
          capabilities: postgresCapabilities(client),
          dedicated: (inner) => inner(this),
          close: () => Promise.resolve(),
        });
      } finally {
        client.release();
      }
    },
    close: () => db.destroy(),
  };
}

function postgresCapabilities(client: pg.PoolClient | null): DialectCapabilities {
  return {
    name: 'postgres',
    skipLocked: true,
    refreshStatistics: async (target, tables) => {
      await sql`analyze ${sql.join(tables.map((table) => sql.table(table)))}`.execute(target);
    },
    reclaimPurged: async (target, tables) => {
      await sql`vacuum full ${sql.join(tables.map((table) => sql.table(table)))}`.execute(target);
    },
    serializeAuditAppends: async (target) => {
      await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(target);
    },
    bulkInsert: (target, table, rows) =>
      client ? copyRows(client, table, rows) : insertRows(target, table, rows),
    jsonText: (column, key) => sql<string | null>`(${sql.ref(column)}::jsonb ->> ${key}::text)`,
  };
}

/** COPY … FROM STDIN in CSV form: NULL is an empty unquoted field, every text is quoted. */
async function copyRows<T extends TableName>(
  client: pg.PoolClient,
  table: T,
  rows: Insertable<Database[T]>[],
) {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const text = rows
    .map((row) => columns.map((column) => csvField((row as Record<string, unknown>)[column])).join(','))
    .join('\n');
  const names = columns.map((column) => `"${column}"`).join(', ');
  await pipeline(
    Readable.from([`${text}\n`]),
    client.query(copyFrom(`copy "${table}" (${names}) from stdin (format csv)`)),
  );
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw new TypeError(`COPY takes text and numbers, not ${typeof value}`);
  return `"${value.replace(/"/g, '""')}"`;
}

async function insertRows<T extends TableName>(
  target: Kysely<Database>,
  table: T,
  rows: Insertable<Database[T]>[],
) {
  if (rows.length === 0) return;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(rows[0]!).length));
  for (let start = 0; start < rows.length; start += perStatement) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one generic table: Kysely cannot narrow it
    await (target as Kysely<any>)
      .insertInto(table)
      .values(rows.slice(start, start + perStatement))
      .execute();
  }
}
