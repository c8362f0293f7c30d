import { describe, expect, it } from 'vitest';
import { createSmtpSender } from '../../src/adapters/smtp-sender.js';
import { testDialects } from '../support/databases.js';
import { startFlakySmtp } from '../support/flaky-smtp.js';
import { approvedDemoIncident, createTestApp } from '../support/test-app.js';
import { operator } from '../../src/services/caller.js';

/** mulberry32: the same faults on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(testDialects())('delivery against a misbehaving SMTP server on %s', (dialect) => {
  it('ends every notice sent, or failed or dead with the reason, and accepts none twice', async () => {
    const app = await createTestApp(dialect);
    const { id, added } = await approvedDemoIncident(app, 200);
    const server = await startFlakySmtp({
      tempFailRate: 0.15,
      dropRate: 0.05,
      stallRate: 0.02,
      refuse: (address) => address.startsWith('a'),
      random: seeded(7),
    });
    try {
      for (let round = 0; round < 40; round += 1) {
        const sender = createSmtpSender({
          url: server.url,
          maxConnections: 4,
          timeouts: { socketMs: 1_500 },
        });
        try {
          await app.delivery.send(id, { sender, maxAttempts: 8 });
        } finally {
          sender.close();
        }
        const status = await app.notices.status(id, operator('tester'));
        if (status.queued + status.deferred + status.sending === 0) break;
        app.clock.advance(2 * 3_600_000);
      }
    } finally {
      await server.close();
    }
    const status = await app.notices.status(id, operator('tester'));
    expect(status.sent + status.failed + status.dead).toBe(added);
    expect(status.failed).toBeGreaterThan(0);
    for (const problem of status.problems) {
      expect(problem.last_error).toBeTruthy();
      if (problem.status === 'failed') expect(problem.last_error).toMatch(/mailbox unavailable/);
    }
    expect(new Set(server.accepted).size).toBe(server.accepted.length);
    expect(server.accepted).toHaveLength(status.sent);
  }, 180_000);
});
