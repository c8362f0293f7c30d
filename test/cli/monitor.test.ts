import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemDnsResolver, dnsErrorCode } from '../../src/adapters/dns-resolver.js';
import { startDnsServer, type DnsServer } from '../support/dns-server.js';
import { runCli } from '../support/cli.js';

const FIXTURES = resolve('test/fixtures/lookalikes');

const cli = (dir: string, ...args: string[]) => runCli(dir, args, { db: null });

const ZONE = {
  'paypal.com': { ns: ['ns1.paypal.com'], a: ['192.0.2.1'] },
  'paypa1.com': { ns: ['ns1.parking.test'], a: ['198.51.100.7'], aaaa: ['2001:db8::7'] },
  'paypal-login.com': { mx: [{ exchange: 'mx.evil.test', priority: 10 }] },
};

describe('breachdesk monitor lookalikes', () => {
  let dir: string;
  let dns: DnsServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'breachdesk-monitor-'));
    dns = await startDnsServer(ZONE, ['paypai.com']);
  });
  afterAll(() => dns.stop());

  it('lists the original and its lookalikes in punycode, one a line, without opening a database', async () => {
    const result = await cli(dir, 'monitor', 'lookalikes', 'paypal.com');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('paypal.com');
    expect(lines).toContain('paypa1.com');
    expect(lines).toContain('xn--80aa0cbo65f.com');
    expect(lines.length).toBeGreaterThan(1500);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('prints JSON with the family, the Unicode form and the punycode, using the word and suffix files', async () => {
    const result = await cli(
      dir,
      'monitor',
      'lookalikes',
      'paypal.com',
      '--format',
      'json',
      '--dictionary',
      join(FIXTURES, 'words.txt'),
      '--tlds',
      join(FIXTURES, 'tlds.txt'),
    );
    expect(result.code).toBe(0);
    const lookalikes = JSON.parse(result.stdout) as { fuzzer: string; domain: string; punycode: string }[];
    expect(lookalikes).toContainEqual({
      fuzzer: 'cyrillic',
      domain: 'раураӏ.com',
      punycode: 'xn--80aa0cbo65f.com',
    });
    expect(lookalikes).toContainEqual({
      fuzzer: 'dictionary',
      domain: 'paypal-login.com',
      punycode: 'paypal-login.com',
    });
    expect(lookalikes).toContainEqual({ fuzzer: 'tld-swap', domain: 'paypal.app', punycode: 'paypal.app' });
  });

  it('checks registrations through the DNS servers given and prints them as CSV', async () => {
    const result = await cli(
      dir,
      'monitor',
      'lookalikes',
      'paypal.com',
      '--fuzzers',
      'homoglyph,dictionary',
      '--dictionary',
      join(FIXTURES, 'words.txt'),
      '--resolve',
      '--nameservers',
      dns.address,
      '--timeout',
      '300',
      '--format',
      'csv',
    );
    expect(result.code).toBe(0);
    const [header, ...rows] = result.stdout.trim().split('\n');
    expect(header).toBe('fuzzer,domain,punycode,status,ns,a,aaaa,mx,reason');
    expect(rows).toContain(
      'homoglyph,paypa1.com,paypa1.com,registered,ns1.parking.test,198.51.100.7,2001:db8::7,,"has NS, A, AAAA"',
    );
    expect(rows).toContain('dictionary,paypal-login.com,paypal-login.com,registered,,,,mx.evil.test,has MX');
    expect(rows).toContain(
      'homoglyph,paypai.com,paypai.com,unknown,,,,,"lookup failed: NS ETIMEOUT, A ETIMEOUT, AAAA ETIMEOUT, MX ETIMEOUT"',
    );
    expect(rows.filter((row) => row.includes(',unregistered,')).length).toBeGreaterThan(500);
  }, 120_000);

  it('lists only the registered lookalikes with --registered', async () => {
    const result = await cli(
      dir,
      'monitor',
      'lookalikes',
      'paypal.com',
      '--fuzzers',
      'homoglyph,vowel-swap',
      '--registered',
      '--nameservers',
      dns.address,
      '--timeout',
      '300',
    );
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(['paypal.com', 'paypa1.com']);
  }, 120_000);

  it('answers a bad domain, format or file with one line and exit 1', async () => {
    for (const args of [
      ['co.uk'],
      ['paypal.com', '--format', 'xml'],
      ['paypal.com', '--dictionary', join(dir, 'missing.txt')],
      ['paypal.com', '--concurrency', '0'],
    ]) {
      const result = await cli(dir, 'monitor', 'lookalikes', ...args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^breachdesk: /);
    }
  });
});

describe('the system DNS resolver', () => {
  let dns: DnsServer;
  beforeAll(async () => {
    dns = await startDnsServer(ZONE, ['paypai.com']);
  });
  afterAll(() => dns.stop());

  it('answers from the servers given and fails with the DNS codes callers act on', async () => {
    const resolver = systemDnsResolver({ servers: [dns.address], timeoutMs: 200, tries: 1 });
    expect(await resolver.resolve4('paypa1.com')).toEqual(['198.51.100.7']);
    expect(await resolver.resolve6('paypa1.com')).toEqual(['2001:db8::7']);
    expect(await resolver.resolveNs('paypa1.com')).toEqual(['ns1.parking.test']);
    expect(await resolver.resolveMx('paypal-login.com')).toEqual([
      { exchange: 'mx.evil.test', priority: 10 },
    ]);
    const code = (lookup: Promise<unknown>) => lookup.then(() => 'answered', dnsErrorCode);
    expect(await code(resolver.resolve4('nothing-here.com'))).toBe('ENOTFOUND');
    expect(await code(resolver.resolveMx('paypal.com'))).toBe('ENODATA');
    expect(await code(resolver.resolve4('paypai.com'))).toBe('ETIMEOUT');
  });
});
