import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { base32Decode, hotp, totpStep } from '../../src/core/totp.js';

const BIN = resolve('bin/breachdesk.js');

function cli(
  dir: string,
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(
      'node',
      [BIN, '--db', join(dir, 'bd.db'), ...args],
      { cwd: dir },
      (error, stdout, stderr) =>
        done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

describe('breachdesk serve and user add from the command line', () => {
  it('adds the first admin from stdin, serves, lets them sign in, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'breachdesk-serve-'));
    const added = await cli(
      dir,
      ['user', 'add', 'Ana@Acme.test', '--role', 'admin', '--password-stdin'],
      'a long enough password\n',
    );
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('user ana@acme.test added as admin');
    const secret = /secret: ([A-Z2-7]+)/.exec(added.stdout)?.[1];
    expect(added.stdout).toMatch(/otpauth:\/\/totp\/breachdesk%20Example%20Corp:ana%40acme\.test\?secret=/);
    const short = await cli(
      dir,
      ['user', 'add', 'bo@acme.test', '--role', 'viewer', '--password-stdin'],
      'short\n',
    );
    expect([short.code, short.stderr.trim()]).toEqual([
      1,
      'breachdesk: the password must have at least 12 characters',
    ]);
    const noTerminal = await cli(dir, ['user', 'add', 'bo@acme.test', '--role', 'viewer']);
    expect(noTerminal.stderr).toContain('--password-stdin');

    const server = spawn('node', [BIN, '--db', join(dir, 'bd.db'), 'serve', '--port', '0'], { cwd: dir });
    const lines = createInterface({ input: server.stdout });
    const url = await new Promise<string>((found) =>
      lines.on('line', (line) => {
        const match = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (match) found(match[1]!);
      }),
    );
    try {
      const login = await fetch(`${url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'ana@acme.test',
          password: 'a long enough password',
          code: hotp(base32Decode(secret!), totpStep(new Date())),
        }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const users = await fetch(`${url}/api/users`, { headers: { cookie } });
      expect(await users.json()).toEqual([
        { email: 'ana@acme.test', role: 'admin', createdAt: expect.any(String) as string, disabled: false },
      ]);
    } finally {
      server.kill('SIGTERM');
    }
    const code = await new Promise((exited) => server.on('exit', exited));
    expect(code).toBe(0);
  });
});
