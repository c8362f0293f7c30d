import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_KEY } from '../support/test-app.js';
import { runCli } from '../support/cli.js';

const cli = (dir: string, ...args: string[]) =>
  runCli(dir, args, { env: { BREACHDESK_KEY: TEST_KEY, BREACHDESK_ACTOR: 'dana' } });

describe('incident record and audit commands', () => {
  let dir: string;
  let incident: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'breachdesk-audit-cli-'));
    expect((await cli(dir, 'vendor', 'add', 'Mixpanel', '--categories', 'email')).code).toBe(0);
    const opened = await cli(
      dir,
      'incident',
      'open',
      '--vendor',
      'Mixpanel',
      '--title',
      'T',
      '--exposed',
      'email',
    );
    incident = opened.stdout.trim();
  });

  it('records events, status and decisions and prints the timeline in order', async () => {
    expect(
      await cli(
        dir,
        'incident',
        'event',
        incident,
        '--type',
        'vendor_informed_us',
        '--at',
        '2026-01-05T10:00:00Z',
      ),
    ).toMatchObject({ code: 0 });
    expect(await cli(dir, 'incident', 'status', incident, 'scoping')).toMatchObject({
      code: 0,
      stdout: `${incident}: triage → scoping\n`,
    });
    const decided = await cli(
      dir,
      'incident',
      'decide',
      incident,
      '--decision',
      'Terminate',
      '--reason',
      'repeat offender',
      '--json',
    );
    expect(JSON.parse(decided.stdout)).toMatchObject({ decision: 'Terminate', decidedBy: 'dana' });
    const timeline = await cli(dir, 'incident', 'timeline', incident);
    const types = timeline.stdout.split('\n').map((line) => line.split('  ')[1]);
    expect(types.slice(0, 3)).toEqual(['vendor_informed_us', 'incident_opened', 'status_changed']);
    expect((await cli(dir, 'incident', 'decisions', incident)).stdout).toContain('dana: Terminate');
  });

  it('refuses a transition with the reason, on one line, exit 1', async () => {
    const refused = await cli(dir, 'incident', 'status', incident, 'closed');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/needs a --reason on record\n$/);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('verifies the log, exports it to a new file, and exits 1 on an edited entry', async () => {
    const ok = await cli(dir, 'audit', 'verify', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true });
    const out = join(dir, 'audit.jsonl');
    expect((await cli(dir, 'audit', 'export', '--out', out)).code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ action: 'audit.export', actor: 'dana' });
    expect(await cli(dir, 'audit', 'export', '--out', out)).toMatchObject({ code: 1 });

    const db = new BetterSqlite3(join(dir, 'bd.db'));
    db.prepare(`update audit_entry set actor = 'mallory' where action = 'incident.decide'`).run();
    db.close();
    const broken = await cli(dir, 'audit', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(
      /^breachdesk: audit log broken at entry \d+ \(edited\): entry \d+ was changed/,
    );
    const json = await cli(dir, 'audit', 'verify', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, reason: 'edited' });
  });
});
