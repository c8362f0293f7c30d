import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const cli = (dir: string, ...args: string[]) =>
  runCli(dir, args, { env: { BREACHDESK_KEY: 'c'.repeat(64) } });

describe('breachdesk obligations', () => {
  it('prints the disclaimer first, a table with a countdown, and the same as JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'breachdesk-obligations-'));
    writeFileSync(
      join(dir, 'people.ndjson'),
      [
        '{"$distinct_id":"a","$properties":{"$email":"a@x.test","$name":"A","$country_code":"DE"}}',
        '{"$distinct_id":"b","$properties":{"$email":"b@x.test","$name":"B","$country_code":"JP"}}',
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
      'identifier,name,email,location',
      '--aware-at',
      '2026-11-19T10:00:00+01:00',
    );
    const incident = opened.stdout.trim();
    expect((await cli(dir, 'dataset', 'import', incident, 'people.ndjson')).code).toBe(0);

    const text = await cli(dir, 'obligations', incident, '--at', '2026-11-20T18:00:00Z');
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe('Decision support, not legal advice.');
    expect(lines.find((line) => line.startsWith('EU '))).toMatch(
      /^EU\s+required\s+1\/1\s+2026-11-22T09:00:00\+00:00\s+due in 39 h$/,
    );
    expect(lines.find((line) => line.startsWith('US-CA '))).toMatch(/^US-CA\s+not required\s+0\/0$/);

    const json = await cli(
      dir,
      'obligations',
      incident,
      '--json',
      '--authorized-access',
      '--time-zone',
      'Asia/Tokyo',
    );
    const report = JSON.parse(json.stdout) as {
      disclaimer: string;
      facts: { unauthorized: boolean; timeZone: string };
      obligations: { jurisdiction: string; status: string }[];
    };
    expect(report.disclaimer).toBe('Decision support, not legal advice.');
    expect(report.facts).toMatchObject({ unauthorized: false, timeZone: 'Asia/Tokyo' });
    expect(report.obligations.find((o) => o.jurisdiction === 'JP')?.status).toBe('not_required');

    const bad = await cli(dir, 'obligations', incident, '--at', 'tomorrow');
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe(
      'breachdesk: --at: "tomorrow" is not an ISO-8601 date, or a time with Z or an offset',
    );
  });
});
