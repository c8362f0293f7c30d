import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { unitOfWork } from '../../src/db/repositories.js';
import { ClaimQueue, type FinalStatus } from '../../src/services/claim-queue.js';
import { testDialects } from '../support/databases.js';
import { approvedDemoIncident, createTestApp, type TestApp } from '../support/test-app.js';

/** Makes every later update of a notice fail inside the database, as a full disk or a lost connection would. */
async function failNoticeUpdates(app: TestApp): Promise<void> {
  const db = app.store.db;
  if (app.store.capabilities.name === 'postgres') {
    await sql`create function injected_failure() returns trigger language plpgsql as $$
              begin raise exception 'injected failure'; end $$`.execute(db);
    await sql`create trigger injected_failure before update on notice
              for each row execute function injected_failure()`.execute(db);
  } else {
    await sql`create trigger injected_failure before update on notice
              begin select raise(abort, 'injected failure'); end`.execute(db);
  }
}

async function restoreNoticeUpdates(app: TestApp): Promise<void> {
  await sql`drop trigger injected_failure${app.store.capabilities.name === 'postgres' ? sql` on notice` : sql``}`.execute(
    app.store.db,
  );
}

async function statuses(app: TestApp, ids: string[]) {
  const rows = await app.store.db
    .selectFrom('notice')
    .select(['id', 'status'])
    .where('id', 'in', ids)
    .execute();
  return Object.fromEntries(rows.map((row) => [row.id, row.status]));
}

describe.each(testDialects())('the outbox claim queue, on %s', (dialect) => {
  it('keeps the results a failed claim did not write and writes them with the next claim', async () => {
    const app = await createTestApp(dialect);
    const { id } = await approvedDemoIncident(app, 100);
    const counted: FinalStatus[] = [];
    let tick = Date.parse('2026-11-29T12:00:00Z');
    const queue = new ClaimQueue(unitOfWork(app.store), {
      incidentId: id,
      owner: 'worker-a',
      batch: 2,
      claim: () => {
        tick += 1000;
        return { now: new Date(tick).toISOString(), leaseUntil: new Date(tick + 600_000).toISOString() };
      },
      counted: (status) => counted.push(status),
    });
    const stop = { reason: null };
    const first = [await queue.next(stop), await queue.next(stop)];
    const sent = first.map((notice) => notice!.id);
    for (const notice of first)
      queue.record(notice!, { status: 'sent', sent_at: '2026-11-29T12:00:05Z', last_error: null });
    expect(await statuses(app, sent)).toEqual({ [sent[0]!]: 'sending', [sent[1]!]: 'sending' });

    await failNoticeUpdates(app);
    await expect(queue.next(stop)).rejects.toThrow(/injected failure/);
    // Rolled back whole: neither result written, nothing else claimed, nothing counted.
    expect(await statuses(app, sent)).toEqual({ [sent[0]!]: 'sending', [sent[1]!]: 'sending' });
    expect(
      await app.store.db.selectFrom('notice').select('id').where('status', '=', 'sending').execute(),
    ).toHaveLength(2);
    expect(counted).toEqual([]);

    await restoreNoticeUpdates(app);
    const next = await queue.next(stop);
    expect(next).toBeDefined();
    expect(sent).not.toContain(next!.id);
    expect(await statuses(app, sent)).toEqual({ [sent[0]!]: 'sent', [sent[1]!]: 'sent' });
    expect(counted).toEqual(['sent', 'sent']);
  });
});
