import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../support/cli.js';

// Each command is its own Node process: generous timeouts on a shared machine.

const cli = (dir: string, ...args: string[]) => runCli(dir, args);

describe('breachdesk monitor on the command line', () => {
  it('listens on loopback, stores what it receives, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'breachdesk-monitor-'));
    expect((await cli(dir, 'vendor', 'add', 'Mixpanel', '--categories', 'email')).code).toBe(0);
    const listener = spawn(
      'node',
      [BIN, '--db', join(dir, 'bd.db'), 'monitor', 'listen', '--port', '0', '--dns', 'offline'],
      {
        cwd: dir,
      },
    );
    let stdout = '';
    listener.stdout.on('data', (data: Buffer) => {
      stdout += data.toString();
    });
    const exited = new Promise<number | null>((done) => listener.once('exit', (code) => done(code)));
    const port = await new Promise<number>((done, fail) => {
      const timer = setInterval(() => {
        const match = /listening on smtp:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
        if (match) {
          clearInterval(timer);
          done(Number(match[1]));
        }
      }, 50);
      void exited.then(() => {
        clearInterval(timer);
        fail(new Error(`listener exited: ${stdout}`));
      });
    });
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true });
    const info = await transport.sendMail({
      envelope: { from: 'r@acme.test', to: ['phishing@acme.test'] },
      raw: 'From: attacker@evil.test\r\nTo: ann@acme.test\r\nSubject: hi\r\n\r\nclick\r\n',
    });
    transport.close();
    expect(info.response).toMatch(/^250 2\.0\.0 stored as inm_/);
    listener.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/inm_\w+ report (phishing|suspicious|clean) \d+, 1 recipient\(s\) by envelope/);
    expect(stdout).toMatch(/SIGTERM: finishing the messages in progress/);

    const inbox = await cli(dir, 'monitor', 'inbox', '--json');
    expect(inbox.code).toBe(0);
    const entries = JSON.parse(inbox.stdout) as { fromDomain: string; verdict: string | null }[];
    expect(entries).toMatchObject([{ fromDomain: 'evil.test' }]);
    expect(entries[0]?.verdict).not.toBeNull();
    expect(inbox.stdout).not.toContain('click');

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
    const incident = opened.stdout
      .trim()
      .split(/\s+/)
      .find((word) => word.startsWith('inc_'))!;
    const misuse = await cli(dir, 'monitor', 'misuse', incident, '--json');
    expect(misuse.code).toBe(0);
    expect(JSON.parse(misuse.stdout)).toMatchObject({
      inbound: { unjudged: 0 },
      statistics: { conclusion: 'insufficient_data' },
    });
    const text = await cli(dir, 'monitor', 'misuse', incident, '--by', 'week');
    expect(text.stdout).toMatch(/Fisher's exact test: p = 1\.00 two-sided/);
  }, 90_000);

  it('refuses to listen beyond loopback unless allowed, and bad flags, in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'breachdesk-monitor-'));
    expect((await cli(dir, 'vendor', 'add', 'Mixpanel', '--categories', 'email')).code).toBe(0);
    const remote = await cli(dir, 'monitor', 'listen', '--host', '0.0.0.0', '--port', '0');
    expect(remote.code).toBe(1);
    expect(remote.stderr).toMatch(/^breachdesk: refusing to listen on 0\.0\.0\.0 without --allow-remote/);
    const size = await cli(dir, 'monitor', 'listen', '--max-size', 'lots');
    expect(size.code).toBe(1);
    expect(size.stderr).toMatch(/--max-size must be a whole number/);
    const by = await cli(dir, 'monitor', 'misuse', 'inc_x', '--by', 'month');
    expect(by.stderr).toMatch(/--by must be day or week/);
  }, 90_000);
});
