import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { startMailSink } from '../../src/adapters/mail-sink.js';
import { BIN, runCli, type CliResult } from '../support/cli.js';

/** Runs the real CLI as a user would, in its own process, against a SQLite file. */
const cli = (dir: string, ...args: string[]) => runCli(dir, args);
const run = promisify(execFile);

function expectOneLineError(result: CliResult, pattern: RegExp) {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
}

describe('the breachdesk command line', () => {
  let dir: string;
  let incident: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'breachdesk-cli-'));
    writeFileSync(
      join(dir, 'accounts.csv'),
      'id,email,name,status,locale\nu1,ann@acme.test,Ann,active,en\nu2,ben@acme.test,Ben,active,fr\n',
    );
    writeFileSync(join(dir, 'orgs.csv'), 'id,name\norg-1,Acme\n');
    writeFileSync(join(dir, 'memberships.csv'), 'org_id,account_id,role\norg-1,u1,owner\norg-1,u2,member\n');
    writeFileSync(
      join(dir, 'people.ndjson'),
      [
        '{"$distinct_id":"u2","$properties":{"$name":"=cmd|\' /C calc\'!A0","$city":"Lyon","org_id":"org-1"}}',
        '{"$distinct_id":"stranger","$properties":{"$email":"=evil@x.test"}}',
        '{not json',
      ].join('\n'),
    );
    expect(
      (await cli(dir, 'vendor', 'add', 'Mixpanel', '--categories', 'identifier,name,email,location')).code,
    ).toBe(0);
    const opened = await cli(
      dir,
      'incident',
      'open',
      '--vendor',
      'Mixpanel',
      '--title',
      'Export',
      '--exposed',
      'name,email,location',
      '--not-exposed',
      'credentials',
      '--json',
    );
    expect(opened.code).toBe(0);
    incident = (JSON.parse(opened.stdout) as { id: string }).id;
    expect(
      (
        await cli(
          dir,
          'directory',
          'import',
          '--accounts',
          'accounts.csv',
          '--orgs',
          'orgs.csv',
          '--memberships',
          'memberships.csv',
        )
      ).code,
    ).toBe(0);
  });

  it('prints an incident id that later commands accept', () => {
    expect(incident).toMatch(/^inc_[a-z0-9]+$/);
  });

  it('imports a dataset, prints read / valid / quarantined and says the same bytes were already imported', async () => {
    const first = await cli(dir, 'dataset', 'import', incident, 'people.ndjson');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('read 3 / valid 2 / quarantined 1');
    expect(first.stdout).toContain('quarantined line 3');
    const again = await cli(dir, 'dataset', 'import', incident, 'people.ndjson');
    expect(again.stdout).toContain('already imported');
    const impact = JSON.parse((await cli(dir, 'impact', incident, '--json')).stdout) as Record<
      string,
      unknown
    >;
    expect(impact).toMatchObject({
      records: { read: 3, valid: 2, quarantined: 1 },
      people: { total: 2, matched: 1, unmatchedContactable: 1, uncontactable: 0 },
      organizations: 1,
      adminRecipients: 1,
      recipients: 3,
    });
  });

  it('exports people as CSV with formula-looking values defused', async () => {
    const result = await cli(dir, 'people', incident, '--format', 'csv');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('email,accountId,categories,organizations');
    expect(lines).toContain("'=evil@x.test,,email;identifier,");
    expect(result.stdout).not.toMatch(/(^|,)=/m);
  });

  it('writes a JSON report to a file', async () => {
    const result = await cli(dir, 'report', incident, '--format', 'json', '--out', 'report.json');
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
      summary: { recipients: number };
    };
    expect(report.summary.recipients).toBe(3);
  });

  it('writes the regulator summary with --regulator and refuses its flags without it', async () => {
    const result = await cli(dir, 'report', incident, '--regulator', '--consequences', 'Phishing risk.');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('## (c) Likely consequences');
    expect(result.stdout).toContain('Phishing risk. _(from the operator)_');
    expect(result.stdout).toContain('## (d) Measures taken or proposed\n\n**To be completed.**');
    expectOneLineError(await cli(dir, 'report', incident, '--measures', 'x'), /go with --regulator/);
  });

  it('rejects an unknown vendor with one line and writes nothing', async () => {
    const result = await cli(
      dir,
      'incident',
      'open',
      '--vendor',
      'Nope',
      '--title',
      'x',
      '--exposed',
      'name',
    );
    expectOneLineError(result, /unknown vendor "Nope"/);
    expect((await cli(dir, 'incident', 'list')).stdout.trim().split('\n')).toHaveLength(1);
  });

  it('rejects an invalid category name and lists the valid ones', async () => {
    const result = await cli(dir, 'vendor', 'add', 'Other', '--categories', 'name,passwords');
    expectOneLineError(result, /unknown category passwords/);
    expect(result.stderr).toContain('valid: identifier, name, email');
  });

  it('names a missing dataset file, an unknown format and an unknown incident', async () => {
    expectOneLineError(
      await cli(dir, 'dataset', 'import', incident, 'missing.json'),
      /cannot read dataset file missing\.json: ENOENT/,
    );
    expectOneLineError(
      await cli(dir, 'dataset', 'import', incident, 'people.ndjson', '--format', 'xml'),
      /unknown format "xml"/,
    );
    expectOneLineError(await cli(dir, 'impact', 'inc_nope'), /unknown incident inc_nope/);
  });

  it('names file, line and field for a bad directory row and writes nothing', async () => {
    writeFileSync(join(dir, 'bad.csv'), 'id,email\nu9,new@acme.test\n,empty@acme.test\n');
    expectOneLineError(
      await cli(dir, 'directory', 'import', '--accounts', 'bad.csv'),
      /bad\.csv:3: field id is empty/,
    );
    writeFileSync(join(dir, 'nocol.csv'), 'id,name\nu9,Nine\n');
    expectOneLineError(
      await cli(dir, 'directory', 'import', '--accounts', 'nocol.csv'),
      /nocol\.csv:2: missing column email/,
    );
    const counts = await cli(dir, 'people', incident);
    expect(counts.stdout).not.toContain('new@acme.test');
  });

  it('exits 2 on a usage error', async () => {
    const result = await cli(dir, 'incident', 'open', '--vendor', 'Mixpanel');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/required option/);
  });

  it('refuses to create a database for a command that reads one', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'breachdesk-cli-empty-'));
    expectOneLineError(await cli(empty, 'impact', 'inc_x'), /no database at .*bd\.db/);
    expect(existsSync(join(empty, 'bd.db'))).toBe(false);
  });

  it('ends quietly when the reader of an export goes away', async () => {
    const { stdout, stderr } = await run('sh', [
      '-c',
      `node ${BIN} --db ${join(dir, 'bd.db')} people ${incident} | head -c 1`,
    ]);
    expect(stdout).toHaveLength(1);
    expect(stderr).toBe('');
  });

  it('refuses an impossible date and a time without a zone', async () => {
    for (const awareAt of ['2025-02-30', '2025-11-25T14:00']) {
      expectOneLineError(
        await cli(
          dir,
          'incident',
          'open',
          '--vendor',
          'Mixpanel',
          '--title',
          'x',
          '--exposed',
          'name',
          '--aware-at',
          awareAt,
        ),
        /--aware-at: .* is not an ISO-8601 date, or a time with Z or an offset/,
      );
    }
  });

  it('inspects a file without a database: format, fields with categories, histogram', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'breachdesk-cli-inspect-'));
    writeFileSync(join(empty, 'p.ndjson'), readFileSync(join(dir, 'people.ndjson')));
    const result = await cli(empty, 'dataset', 'inspect', 'p.ndjson', '--json');
    expect(result.code).toBe(0);
    const inspection = JSON.parse(result.stdout) as {
      format: string;
      rows: number;
      fields: { name: string; category: string | null }[];
    };
    expect(inspection).toMatchObject({ format: 'mixpanel-people', rows: 3 });
    expect(inspection.fields).toContainEqual(
      expect.objectContaining({ name: '$city', category: 'location' }),
    );
    expect(existsSync(join(empty, 'bd.db'))).toBe(false);
    expect(result.stderr).toBe('');
  });

  it('plans, approves and sends DKIM-signed notices from the command line', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(dir, 'dkim.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect((await cli(dir, 'notices', 'plan', incident)).code).toBe(0);
    expectOneLineError(
      await cli(dir, 'notices', 'send', incident, '--smtp', 'smtp://127.0.0.1:9'),
      /not approved/,
    );
    expect((await cli(dir, 'notices', 'approve', incident, '--by', 'Dana')).stdout).toMatch(
      /3 notices approved by Dana/,
    );
    const mailDir = join(dir, 'mail');
    const sink = await startMailSink({ dir: mailDir });
    try {
      const sent = await cli(
        dir,
        'notices',
        'send',
        incident,
        '--smtp',
        sink.url,
        '--dkim-key',
        'dkim.pem',
        '--dkim-selector',
        's2026',
        '--json',
      );
      expect(JSON.parse(sent.stdout)).toMatchObject({ sent: 3 });
    } finally {
      await sink.close();
    }
    for (const file of readdirSync(mailDir)) {
      expect(readFileSync(join(mailDir, file), 'utf8')).toMatch(
        /^DKIM-Signature: .*d=notices\.example\.com; .*s=s2026/ms,
      );
    }
  });
});
