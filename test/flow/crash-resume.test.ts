import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { operator } from '../../src/services/caller.js';
import { startMailSink, type MailSink } from '../../src/adapters/mail-sink.js';
import { testDialects } from '../support/databases.js';
import { approvedDemoIncident, createTestApp, TEST_KEY } from '../support/test-app.js';

const BIN = resolve('bin/breachdesk.js');
const KILLS = 20;
const CONCURRENCY = 4;
/** A sender holds at most one claimed batch: what a SIGKILL can leave half-sent. */
const IN_FLIGHT = CONCURRENCY * 2;

/** Runs `notices send` and kills it with SIGKILL shortly after it has started delivering. */
async function sendAndMaybeKill(
  args: string[],
  sink: MailSink,
  kill: boolean,
): Promise<'killed' | 'finished'> {
  const child = spawn('node', args, { env: { ...process.env, BREACHDESK_KEY: TEST_KEY }, stdio: 'ignore' });
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  if (!kill) return (await exited) === 0 ? 'finished' : 'killed';
  const before = sink.received();
  const deadline = Date.now() + 15_000;
  while (sink.received() === before && child.exitCode === null && Date.now() < deadline) await sleep(10);
  await sleep(Math.random() * 150);
  if (child.exitCode !== null) return 'finished';
  child.kill('SIGKILL');
  await exited;
  return 'killed';
}

describe.each(testDialects())('a sender killed at random moments on %s', (dialect) => {
  it(`delivers every notice after ${KILLS} SIGKILLs, duplicates within the in-flight bound`, async () => {
    const app = await createTestApp(dialect);
    const { id, added } = await approvedDemoIncident(app, 1000);
    const mailDir = join(app.dir, 'mail');
    const sink = await startMailSink({ dir: mailDir });
    let kills = 0;
    try {
      const args = [BIN, '--db', app.config.db, 'notices', 'send', id, '--smtp', sink.url, '--lease', '1'];
      args.push('--concurrency', String(CONCURRENCY));
      while (kills < KILLS && (await sendAndMaybeKill(args, sink, true)) === 'killed') {
        kills += 1;
        await sleep(1_200); // the killed sender's lease runs out
      }
      await sleep(1_200);
      expect(await sendAndMaybeKill(args, sink, false)).toBe('finished');
    } finally {
      await sink.close();
    }
    const ids = readdirSync(mailDir).map(
      (file) => /^Message-ID: (.*)$/im.exec(readFileSync(join(mailDir, file), 'utf8'))?.[1] ?? file,
    );
    const duplicates = ids.length - new Set(ids).size;
    console.info(
      `${dialect}: ${added} notices, ${kills} kills, ${ids.length} messages received, ${duplicates} duplicates`,
    );
    expect(new Set(ids).size).toBe(added);
    expect(duplicates).toBeLessThanOrEqual(kills * IN_FLIGHT);
    expect(await app.notices.status(id, operator('tester'))).toMatchObject({
      sent: added,
      queued: 0,
      sending: 0,
    });
  }, 240_000);
});
