import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startMailSink } from '../../src/adapters/mail-sink.js';
import { createSmtpSender } from '../../src/adapters/smtp-sender.js';
import { unitOfWork } from '../../src/db/repositories.js';
import { operator } from '../../src/services/caller.js';
import { testDialects } from '../support/databases.js';
import { approvedDemoIncident, createTestApp } from '../support/test-app.js';

describe.each(testDialects())('a worker sharing a plan with another on %s', (dialect) => {
  it('looks again within seconds while the other holds notices, not once its lease ends', async () => {
    const app = await createTestApp(dialect);
    const { id, added } = await approvedDemoIncident(app, 100);
    const { notices } = unitOfWork(app.store).repos;
    const now = app.clock.now();
    const held = await notices.claim(
      id,
      'other-worker',
      now.toISOString(),
      new Date(now.getTime() + 120_000).toISOString(),
      2,
    );
    const sink = await startMailSink({ dir: join(app.dir, 'mail') });
    const sender = createSmtpSender({ url: sink.url });
    const waits: number[] = [];
    try {
      const result = await app.delivery.work(id, {
        sender,
        wait: async (ms) => {
          waits.push(ms);
          app.clock.advance(ms);
          // The other worker sends what it held meanwhile.
          await notices.finishAll(
            'other-worker',
            held.map((notice) => ({ id: notice.id, status: 'sent', sent_at: app.clock.now().toISOString() })),
          );
        },
      });
      expect(result.sent).toBe(added - held.length);
    } finally {
      sender.close();
      await sink.close();
    }
    expect(waits).toEqual([2_000]);
    expect(await app.notices.status(id, operator('tester'))).toMatchObject({
      sent: added,
      sending: 0,
      queued: 0,
    });
  });
});
