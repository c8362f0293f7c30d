import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/database.js';
import { initialSchema } from '../../src/db/migrations/001-initial-schema.js';
import { openPostgres } from '../../src/db/postgres-store.js';
import { openSqlite } from '../../src/db/sqlite-store.js';
import { freshDatabase, testDialects } from '../support/databases.js';

describe.each(testDialects())('notice bodies on %s', (dialect) => {
  it('moves the bodies of notices planned before migration 009 into their own table, unchanged', async () => {
    const database = await freshDatabase(dialect);
    const old = dialect === 'sqlite' ? openSqlite(database.location) : openPostgres(database.location);
    const { error } = await new Migrator({
      db: old.db,
      provider: { getMigrations: () => Promise.resolve({ '001-initial-schema': initialSchema(dialect) }) },
    }).migrateToLatest();
    expect(error).toBeUndefined();
    await sql`insert into vendor (id, name, categories, status, created_at)
      values ('v1', 'Mixpanel', 'email', 'active', 'now')`.execute(old.db);
    await sql`insert into incident (id, vendor_id, title, exposed, not_exposed, opened_at, status)
      values ('i1', 'v1', 'Export', 'email', '', 'now', 'triage')`.execute(old.db);
    for (const [id, text, html] of [
      ['n1', 'sealed-text-1', 'sealed-html-1'],
      ['n2', null, null],
    ] as const) {
      await sql`insert into notice (id, incident_id, recipient_sealed, recipient_key, recipient_domain,
        reference_code, subject, text_sealed, html_sealed, content_hash, message_id, status, attempts, created_at)
        values (${id}, 'i1', null, ${`k-${id}`}, 'example.com', ${`R-${id}`}, 'Notice', ${text}, ${html},
        'hash', ${`<${id}@x>`}, 'sent', 1, 'now')`.execute(old.db);
    }
    await old.close();
    const store = await openStore(database.location);
    try {
      const bodies = await store.db.selectFrom('notice_body').selectAll().orderBy('notice_id').execute();
      expect(bodies).toEqual([
        { notice_id: 'n1', text_sealed: 'sealed-text-1', html_sealed: 'sealed-html-1' },
        { notice_id: 'n2', text_sealed: null, html_sealed: null },
      ]);
      const [notice] = await store.db.selectFrom('notice').selectAll().where('id', '=', 'n1').execute();
      expect(notice).toMatchObject({ id: 'n1', status: 'sent' });
      expect(Object.keys(notice!)).not.toContain('text_sealed');
    } finally {
      await store.close();
    }
  });
});
