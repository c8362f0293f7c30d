import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../src/core/errors.js';
import { openStore } from '../../src/db/database.js';

describe('a SQLite database another command holds alone', () => {
  it('refuses to open with a clear error, and opens once the other command has committed', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'breachdesk-busy-')), 'incident.db');
    await (await openStore(path)).close();
    // What a dataset import does for its load: a rollback journal and the write lock until commit.
    const importer = new BetterSqlite3(path);
    importer.pragma('journal_mode = DELETE');
    importer.exec('begin exclusive');
    importer.exec(`insert into setting (name, value) values ('imported', 'yes')`);

    const refused = await openStore(path).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isUserError(refused)).toBe(true);
    expect((refused as Error).message).toMatch(/is busy: another breachdesk command is writing to it/);

    importer.exec('commit');
    importer.close();
    const store = await openStore(path);
    const row = await store.db
      .selectFrom('setting')
      .select('value')
      .where('name', '=', 'imported')
      .executeTakeFirst();
    expect(row?.value).toBe('yes');
    await store.close();
  });
});
