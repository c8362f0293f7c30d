import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DialectName } from '../../src/db/database.js';

/** Dialects under test, like Kysely's own suite: BREACHDESK_TEST_DIALECTS=sqlite,postgres. */
export function testDialects(): DialectName[] {
  const names = (process.env.BREACHDESK_TEST_DIALECTS ?? 'sqlite').split(',').map((name) => name.trim());
  return names.filter((name): name is DialectName => name === 'sqlite' || name === 'postgres');
}

export interface TestDatabase {
  location: string;
  drop(): Promise<void>;
}

/** A new empty database per test: a SQLite file in a temp folder, or a new PostgreSQL database. */
export async function freshDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'breachdesk-test-'));
    return {
      location: join(dir, 'test.db'),
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const admin = process.env.BREACHDESK_TEST_PG;
  if (!admin)
    throw new Error('BREACHDESK_TEST_PG is not set: run the tests with `npm test`, which starts PostgreSQL');
  const name = `bd_${randomBytes(6).toString('hex')}`;
  await withClient(admin, (client) => client.query(`create database ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    location: url.toString(),
    drop: () =>
      withClient(admin, (client) => client.query(`drop database if exists ${name} with (force)`)).then(
        () => undefined,
      ),
  };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
