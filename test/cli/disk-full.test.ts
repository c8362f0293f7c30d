import { execFile } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { storageFailure } from '../../src/core/errors.js';
import { BIN, runCli, type CliResult } from '../support/cli.js';

const run = promisify(execFile);

/**
 * The CLI under a real limit on the size of any file it writes (the shell's `ulimit -f`, in KiB):
 * past it the kernel refuses the write, as a full disk does, and SQLite reports an I/O error.
 */
async function cliWithFileLimit(dir: string, kib: number, args: string[]): Promise<CliResult> {
  const command = `ulimit -f ${kib} && exec node "$@"`;
  try {
    const { stdout, stderr } = await run(
      'bash',
      ['-c', command, 'bash', BIN, '--db', join(dir, 'bd.db'), ...args],
      {
        cwd: dir,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The database file's integrity check, and the rows of one table, read by a connection of its own. */
function storedState(dir: string, table: string): { integrity: unknown; rows: unknown } {
  const sqlite = new BetterSqlite3(join(dir, 'bd.db'), { readonly: true });
  try {
    return {
      integrity: sqlite.pragma('integrity_check', { simple: true }),
      rows: sqlite.prepare(`select count(*) from ${table}`).pluck().get(),
    };
  } finally {
    sqlite.close();
  }
}

describe('a disk that refuses writes', () => {
  let dir: string;
  let incident: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'breachdesk-disk-full-'));
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i += 1) {
      lines.push(
        JSON.stringify({
          $distinct_id: `user-${i}`,
          $properties: {
            $email: `person${i}@example.test`,
            $city: 'Lyon',
            $browser: 'Firefox',
            org_id: `org-${i % 50}`,
          },
        }),
      );
    }
    writeFileSync(join(dir, 'people.ndjson'), `${lines.join('\n')}\n`);
    expect((await runCli(dir, ['vendor', 'add', 'Mixpanel', '--categories', 'identifier,email'])).code).toBe(
      0,
    );
    const opened = await runCli(dir, [
      'incident',
      'open',
      '--vendor',
      'Mixpanel',
      '--title',
      'Export',
      '--exposed',
      'email',
      '--json',
    ]);
    incident = (JSON.parse(opened.stdout) as { id: string }).id;
  });

  it('fails the import with one line naming the write, exit 1, and leaves no dataset behind', async () => {
    // Room for the database as it is, not for the import's writes.
    const limit = Math.ceil(statSync(join(dir, 'bd.db')).size / 1024) + 512;
    const failed = await cliWithFileLimit(dir, limit, ['dataset', 'import', incident, 'people.ndjson']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /^breachdesk: could not write to disk \(.+\); what was not committed is rolled back/,
    );
    expect(failed.stderr).toContain('code: SQLITE_IOERR_WRITE');
    expect(failed.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(failed.stderr.trim().split('\n')).toHaveLength(1);

    const listed = await runCli(dir, ['dataset', 'list', incident, '--json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([]);
    expect(storedState(dir, 'exposed_record')).toEqual({ integrity: 'ok', rows: 0 });
  });

  it('imports the same file in full once there is room again', async () => {
    const result = await runCli(dir, ['dataset', 'import', incident, 'people.ndjson']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('read 20000 / valid 20000 / quarantined 0');
  });

  it('fails an impact the same way, keeps the database whole, and the next impact completes', async () => {
    const limit = Math.ceil(statSync(join(dir, 'bd.db')).size / 1024) + 256;
    const failed = await cliWithFileLimit(dir, limit, ['impact', incident]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /^breachdesk: could not write to disk \(.+\); what was not committed is rolled back/,
    );
    expect(failed.stderr.trim().split('\n')).toHaveLength(1);
    expect(storedState(dir, 'person')).toEqual({ integrity: 'ok', rows: 0 });
    const impact = await runCli(dir, ['impact', incident, '--json']);
    expect(impact.code).toBe(0);
    expect(JSON.parse(impact.stdout)).toMatchObject({
      people: { total: 20_000, unmatchedContactable: 20_000 },
    });
  });
});

describe('storageFailure', () => {
  it('names a full SQLite database as a disk problem the user can fix', () => {
    const sqlite = new BetterSqlite3(':memory:');
    sqlite.exec('create table t (x)');
    sqlite.pragma('max_page_count = 2');
    let thrown: unknown;
    try {
      sqlite.prepare('insert into t values (randomblob(100000))').run();
    } catch (error) {
      thrown = error;
    }
    sqlite.close();
    expect(storageFailure(thrown)).toMatchObject({ name: 'UserError', context: { code: 'SQLITE_FULL' } });
  });

  it('names a device with no space left the same way', () => {
    let thrown: unknown;
    try {
      writeFileSync('/dev/full', 'x');
    } catch (error) {
      thrown = error;
    }
    expect(storageFailure(thrown)?.message).toMatch(/^could not write to disk \(ENOSPC/);
  });

  it('leaves every other error alone', () => {
    expect(storageFailure(new Error('boom'))).toBeUndefined();
    expect(storageFailure(Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }))).toBeUndefined();
    expect(storageFailure(undefined)).toBeUndefined();
  });
});
