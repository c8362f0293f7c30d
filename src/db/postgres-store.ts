import { Kysely, PostgresDialect, sql } from 'kysely';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ColumnRows, DialectCapabilities, Store, TableName } from './database.js';
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
    plansNeedRebuiltStatistics: true,
    dropsIndexesForBulkLoad: false,
    probesInKeyOrder: false,
    sortsJoinedInserts: true,
    fencesRepeatedProbes: true,
    antiJoinsKnownRows: true,
    joinsDistinctSets: true,
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
    bulkLoad: (_target, work) => work(),
    bulkRebuild: (_target, work) => work(),
    roomForSorts: async (target) => {
      await sql`set local work_mem = '64MB'`.execute(target);
    },
    jsonText: (column, key) => sql<string | null>`(${sql.ref(column)}::jsonb ->> ${key}::text)`,
  };
}

/** COPY text is sent in pieces of about this size, so a large load is never one huge string. */
const COPY_PIECE_CHARS = 1 << 20;

/** COPY … FROM STDIN in text form: tab-separated, `\N` for NULL, backslash escapes. */
async function copyRows<T extends TableName>(client: pg.PoolClient, table: T, rows: ColumnRows<T>) {
  if (rows.count === 0) return;
  const names = Object.keys(rows.columns)
    .map((column) => `"${column}"`)
    .join(', ');
  await pipeline(
    Readable.from(copyText(rows)),
    client.query(copyFrom(`copy "${table}" (${names}) from stdin`)),
  );
}

function* copyText<T extends TableName>(rows: ColumnRows<T>): Generator<string> {
  const columns = Object.values<unknown>(rows.columns);
  // A value the same on every row is escaped once.
  const fields = columns.map((column) => (Array.isArray(column) ? (column as unknown[]) : copyField(column)));
  let piece = '';
  for (let row = 0; row < rows.count; row++) {
    let line = '';
    for (let c = 0; c < fields.length; c++) {
      const field = fields[c]!;
      if (c > 0) line += '\t';
      line += typeof field === 'string' ? field : copyField(field[row]);
    }
    piece += `${line}\n`;
    if (piece.length >= COPY_PIECE_CHARS) {
      yield piece;
      piece = '';
    }
  }
  if (piece !== '') yield piece;
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  if (value instanceof Uint8Array) return copyField(textOf(value));
  if (typeof value !== 'string') throw new TypeError(`COPY takes text and numbers, not ${typeof value}`);
  return COPY_SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : value;
}

/** A text value given as its UTF-8 bytes (see `ColumnRows`). */
function textOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

async function insertRows<T extends TableName>(target: Kysely<Database>, table: T, rows: ColumnRows<T>) {
  if (rows.count === 0) return;
  const names = Object.keys(rows.columns);
  const columns = Object.values<unknown>(rows.columns);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / names.length));
  for (let start = 0; start < rows.count; start += perStatement) {
    const objects: Record<string, unknown>[] = [];
    for (let row = start; row < Math.min(rows.count, start + perStatement); row++) {
      objects.push(
        Object.fromEntries(
          names.map((name, c) => {
            const column = columns[c];
            const value: unknown = Array.isArray(column) ? (column as unknown[])[row] : column;
            return [name, value instanceof Uint8Array ? textOf(value) : value];
          }),
        ),
      );
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one generic table: Kysely cannot narrow it
    await (target as Kysely<any>).insertInto(table).values(objects).execute();
  }
}
