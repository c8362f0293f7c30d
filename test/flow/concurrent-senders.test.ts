import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { operator } from '../../src/services/caller.js';
import { startMailSink } from '../../src/adapters/mail-sink.js';
import { testDialects } from '../support/databases.js';
import { approvedDemoIncident, createTestApp, TEST_KEY } from '../support/test-app.js';

const run = promisify(execFile);
const BIN = resolve('bin/breachdesk.js');

describe.each(testDialects())('several senders against one plan on %s', (dialect) => {
  it.each([2, 4])(
    'sends every notice exactly once with %i sender processes at once',
    async (senders) => {
      const app = await createTestApp(dialect);
      const { id, added } = await approvedDemoIncident(app, 300);
      const mailDir = join(app.dir, 'mail');
      const sink = await startMailSink({ dir: mailDir });
      try {
        const env = { ...process.env, BREACHDESK_KEY: TEST_KEY };
        const args = [BIN, '--db', app.config.db, 'worker', id, '--smtp', sink.url, '--json'];
        const results = await Promise.all(Array.from({ length: senders }, () => run('node', args, { env })));
        const sent = results.map((r) => (JSON.parse(r.stdout) as { sent: number }).sent);
        expect(sent.reduce((a, b) => a + b, 0)).toBe(added);
      } finally {
        await sink.close();
      }
      const ids = readdirSync(mailDir).map(
        (file) => /^Message-ID: (.*)$/im.exec(readFileSync(join(mailDir, file), 'utf8'))?.[1],
      );
      expect(ids).toHaveLength(added);
      expect(new Set(ids).size).toBe(added);
      expect(await app.notices.status(id, operator('tester'))).toMatchObject({
        sent: added,
        queued: 0,
        sending: 0,
      });
    },
    120_000,
  );
});
