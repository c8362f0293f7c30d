import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, openSync, readSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock.js';
import { writeDemoCase } from '../../src/adapters/demo-case.js';
import { createApp, type App } from '../../src/app.js';
import { DEFAULT_COMPANY } from '../../src/config.js';
import type { ImpactSummary } from '../../src/services/impact.service.js';
import { BIN } from '../support/cli.js';
import { TEST_KEY, openTestIncident } from '../support/test-app.js';

const PROFILES = 30_000;
const SEED = 7;
/** When the kills land, as shares of how long an uninterrupted rebuild holds its journal. */
const KILLED_AT = [0.3, 0.65];
/** A kill that came after the rebuild committed is tried again on a fresh copy, this much earlier. */
const EARLIER = 0.6;
const ATTEMPTS = 3;
const STARTED_AT = '2026-11-20T09:00:00.000Z';

/** The file's own journal mode (header byte 18): 1 a rollback journal, 2 WAL. */
function headerJournalMode(location: string): 'rollback' | 'wal' {
  const fd = openSync(location, 'r');
  try {
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, 18);
    return byte[0] === 2 ? 'wal' : 'rollback';
  } finally {
    closeSync(fd);
  }
}

interface Matching {
  stamp: string | undefined;
  records: number;
  people: number;
  organizations: number;
}

async function matchingOf(app: App, incidentId: string): Promise<Matching> {
  const count = async (table: 'record_match' | 'person' | 'person_organization') =>
    Number(
      (
        await app.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('incident_id', '=', incidentId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const stamp = await app.store.db
    .selectFrom('match_stamp')
    .select('stamp')
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
  return {
    stamp: stamp?.stamp,
    records: await count('record_match'),
    people: await count('person'),
    organizations: await count('person_organization'),
  };
}

interface Impact {
  /** Milliseconds between the first and the last sight of the rollback journal. */
  journalMs: number;
  outcome: 'killed' | { summary: ImpactSummary };
}

/**
 * Runs `impact` in its own process, watching for the rebuild's rollback journal; with `killAfter`,
 * SIGKILLs it that long after the journal appeared, provided the journal is still there.
 */
async function runImpact(location: string, incidentId: string, killAfter?: number): Promise<Impact> {
  const child = spawn(process.execPath, [BIN, '--db', location, 'impact', incidentId, '--json'], {
    env: { ...process.env, BREACHDESK_KEY: TEST_KEY },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const journal = `${location}-journal`;
  let first: number | undefined;
  let last: number | undefined;
  const deadline = Date.now() + 30_000;
  while (child.exitCode === null && Date.now() < deadline) {
    if (existsSync(journal)) {
      last = performance.now();
      first ??= last;
      if (killAfter !== undefined && last - first >= killAfter) {
        child.kill('SIGKILL');
        await exited;
        return { journalMs: last - first, outcome: 'killed' };
      }
    }
    await sleep(5);
  }
  if (child.exitCode === null) child.kill('SIGKILL');
  const code = await exited;
  if (code !== 0) throw new Error(`impact exited with ${code}`);
  const journalMs = first === undefined || last === undefined ? 0 : last - first;
  return { journalMs, outcome: { summary: JSON.parse(stdout) as ImpactSummary } };
}

/** Opens the killed database as any command would and checks it holds the matching from before. */
async function expectPreviousMatching(
  location: string,
  incidentId: string,
  previous: { matching: Matching; summary: ImpactSummary },
): Promise<void> {
  const app = await createApp({ config: configOf(location) });
  try {
    expect(existsSync(`${location}-journal`)).toBe(false);
    const { rows: mode } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(app.store.db);
    expect(mode).toEqual([{ journal_mode: 'wal' }]);
    const { rows: check } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(
      app.store.db,
    );
    expect(check).toEqual([{ integrity_check: 'ok' }]);
    expect(await matchingOf(app, incidentId)).toEqual(previous.matching);
    const { computedAt, ...stored } = await app.impact.summary(incidentId);
    expect(computedAt).toBe(STARTED_AT);
    expect(stored).toEqual(previous.summary);
  } finally {
    await app.close();
  }
}

function configOf(location: string) {
  return {
    db: location,
    actor: 'tester',
    company: DEFAULT_COMPANY,
    key: { envKey: TEST_KEY, keyFile: '/nonexistent' },
  };
}

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length > 0) rmSync(dirs.pop()!, { recursive: true, force: true });
});

describe('a matching killed on SQLite', () => {
  it('leaves the previous matches, stamp and count when SIGKILLed early or late in its rebuild, and matches again to the same counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'breachdesk-match-kill-'));
    dirs.push(dir);
    const location = join(dir, 'bd.db');
    // One directory; a small dataset matched first, then a large one that makes the matching stale.
    const settings = { seed: SEED, accounts: PROFILES, organizations: PROFILES / 10 };
    const large = await writeDemoCase(join(dir, 'large'), { ...settings, profiles: PROFILES });
    const small = await writeDemoCase(join(dir, 'small'), { ...settings, profiles: 500 });
    const setup = await createApp({ config: configOf(location), clock: fixedClock(STARTED_AT) });
    const incidentId = await openTestIncident(setup);
    await setup.directory.import(large);
    await setup.datasets.import({ incidentId, path: small.dataset, format: 'auto' });
    const previous = {
      summary: await setup.impact.analyze(incidentId),
      matching: await matchingOf(setup, incidentId),
    };
    await setup.datasets.import({ incidentId, path: large.dataset, format: 'auto' });
    await setup.close();
    expect(existsSync(`${location}-wal`)).toBe(false);
    const copy = (name: string) => {
      copyFileSync(location, join(dir, name));
      return join(dir, name);
    };

    // The same database matched without interruption: how long its rebuild holds the journal, and
    // the counts; it leaves the file in WAL.
    const reference = await runImpact(copy('reference.db'), incidentId);
    if (reference.outcome === 'killed') throw new Error('the reference run was killed');
    expect(reference.journalMs).toBeGreaterThan(0);
    expect(headerJournalMode(join(dir, 'reference.db'))).toBe('wal');

    let killed = '';
    for (const [i, share] of KILLED_AT.entries()) {
      let attempt = 0;
      for (; attempt < ATTEMPTS; attempt++) {
        killed = copy(`killed-${i}-${attempt}.db`);
        const after = reference.journalMs * share * EARLIER ** attempt;
        const run = await runImpact(killed, incidentId, after);
        if (run.outcome === 'killed') {
          console.info(
            `rebuild ${Math.round(reference.journalMs)} ms; killed ${Math.round(run.journalMs)} ms in`,
          );
          break;
        }
      }
      expect(attempt, `a kill within ${share} of the rebuild`).toBeLessThan(ATTEMPTS);
      // Killed inside the rebuild's transaction: its hot journal is left, the file in rollback mode.
      expect(existsSync(`${killed}-journal`)).toBe(true);
      expect(headerJournalMode(killed)).toBe('rollback');
      await expectPreviousMatching(killed, incidentId, previous);
    }

    const again = await runImpact(killed, incidentId);
    if (again.outcome === 'killed') throw new Error('the run after the kill was killed');
    expect(again.outcome.summary).toEqual(reference.outcome.summary);
    expect(again.outcome.summary.people.total).toBeGreaterThan(previous.summary.people.total);
  }, 120_000);
});
