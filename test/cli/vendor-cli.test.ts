import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const cli = (dir: string, ...args: string[]) => runCli(dir, args);

describe('the vendor commands', () => {
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'breachdesk-vendor-cli-'));
    writeFileSync(
      join(dir, 'accounts.csv'),
      'id,email,country,plan\nu1,ann@acme.test,DE,pro\nu2,ben@acme.test,US,free\n',
    );
    expect((await cli(dir, 'directory', 'import', '--accounts', 'accounts.csv')).code).toBe(0);
    const added = await cli(
      dir,
      'vendor',
      'add',
      'Mixpanel',
      '--categories',
      'identifier,email',
      '--population',
      'plan in (pro)',
      '--notice-hours',
      '72',
    );
    expect(added.code).toBe(0);
  });

  it('prints the blast radius as JSON and the ranking as text', async () => {
    const exposure = await cli(dir, 'vendor', 'exposure', 'Mixpanel', '--json');
    expect(exposure.code).toBe(0);
    expect(JSON.parse(exposure.stdout)).toMatchObject({
      population: 'plan = pro',
      people: 1,
      jurisdictions: [{ jurisdiction: 'EU', people: 1 }],
      risk: { sensitivity: 4, score: 4, tier: 'low' },
    });
    const ranking = await cli(dir, 'vendor', 'ranking');
    expect(ranking.stdout).toMatch(/^1\. Mixpanel\tlow\tscore 4\t1 people/);
  });

  it('records a review and lists the vendor as falling short of the newer catalogue', async () => {
    writeFileSync(
      join(dir, 'answers.json'),
      JSON.stringify({ answers: { breach_notice_hours: 48, encryption_at_rest: true } }),
    );
    const review = await cli(
      dir,
      'vendor',
      'review',
      'Mixpanel',
      '--catalogue',
      'v1',
      '--answers',
      'answers.json',
    );
    expect(review.code).toBe(0);
    expect(review.stdout).toMatch(
      /against breachdesk-default v1: incomplete \(2 met, 0 not met, 8 unknown\)/,
    );
    const reviews = await cli(dir, 'vendor', 'reviews');
    expect(reviews.stdout).toMatch(/falls short of breachdesk-default v2: breach_notice_hours/);
  });

  it('reports a bad answers file in one line naming file and field', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ evidence: { staff_sso: 'file:///etc/passwd' } }));
    const result = await cli(
      dir,
      'vendor',
      'review',
      'Mixpanel',
      '--catalogue',
      '1',
      '--answers',
      'bad.json',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^breachdesk: answers bad\.json: evidence\.staff_sso must be an http\(s\) link; file: bad\.json; field: evidence\.staff_sso\n$/,
    );
  });
});
