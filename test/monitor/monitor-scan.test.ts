import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCorpus, tinyZip, type Corpus } from '../../bench/monitor-corpus.js';
import { readZoneFolder, zoneResolver } from '../../src/adapters/dns-resolver.js';
import { createMonitorService } from '../../src/app.js';
import type { Identity } from '../../src/core/monitor-identity.js';
import type { ScanLine } from '../../src/services/monitor.service.js';

const BLAZE = resolve('test/fixtures/mail/dkim-blaze');
const BLAZE_FILES = ['001', '002', '003', '004', '005', '006', '007'].map((n) => join(BLAZE, `${n}.mail`));
const GITHUB: Identity = {
  brands: ['GitHub'],
  sendingDomains: ['github.com'],
  linkDomains: ['github.com'],
  sendingServices: [],
};
const ACME: Identity = {
  brands: ['Acme'],
  sendingDomains: ['acme.example'],
  linkDomains: [],
  sendingServices: [],
};

async function collect(lines: AsyncIterable<ScanLine>): Promise<ScanLine[]> {
  const all: ScanLine[] = [];
  for await (const line of lines) all.push(line);
  return all;
}

describe('monitor scan on real signed mail', () => {
  const monitor = createMonitorService({ mailResolver: zoneResolver(readZoneFolder(join(BLAZE, 'cache'))) });

  it.each([
    ['the sender itself', GITHUB],
    ['an unrelated company', ACME],
  ])('finds every captured message clean, judged as %s', async (_who, identity) => {
    const lines = await collect(monitor.scanFiles(BLAZE_FILES, { identity }));
    expect(lines.map((line) => ('error' in line ? line.error : line.verdict))).toEqual(
      Array(7).fill('clean'),
    );
  });
});

describe('monitor scan on the labelled corpus', () => {
  let corpus: Corpus;
  beforeAll(async () => {
    corpus = await buildCorpus();
  });

  it('clears every genuine and third-party message and flags every lure', async () => {
    const monitor = createMonitorService({ mailResolver: zoneResolver(corpus.zone) });
    const wrong: string[] = [];
    for (const message of corpus.messages) {
      const { verdict } = await monitor.scan(message.raw, corpus.identity);
      if ((verdict !== 'clean') !== (message.label === 'phishing')) wrong.push(`${message.kind}: ${verdict}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('monitor scan on hostile input', () => {
  let dir: string;
  const monitor = createMonitorService({ mailResolver: zoneResolver({}) });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'breachdesk-hostile-'));
    const header =
      'From: Acme <billing@acme-billing.example>\r\nTo: dana@customer.example\r\nSubject: Invoice\r\n';
    const files: Record<string, string | Buffer> = {
      'empty.eml': '',
      'binary.eml': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
      'unterminated.eml': `${header}Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello`,
      'huge-headers.eml': `${header}${'X-Filler: '.concat('a'.repeat(990), '\r\n').repeat(2000)}\r\nbody\r\n`,
      'bad-encodings.eml':
        `${header}Content-Type: multipart/mixed; boundary="b"\r\n\r\n` +
        '--b\r\nContent-Type: text/plain; charset=x-no-such-charset\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@not base64!!!\r\n' +
        '--b\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\xff\xfe<a href="http://192.0.2.1/">x</a>\r\n--b--\r\n',
      'deep-multipart.eml':
        header +
        Array.from(
          { length: 300 },
          (_, i) => `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`,
        ).join('') +
        'Content-Type: text/plain\r\n\r\ndeep\r\n',
      'nested-archives.eml':
        `${header}Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n` +
        `--b\r\nContent-Type: application/zip; name="a.zip"\r\nContent-Disposition: attachment; filename="a.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n` +
        `${nestedZip(8).toString('base64')}\r\n--b--\r\n`,
      'mail.mbox': [
        'From a@example.org Mon Jan  1 00:00:00 2024',
        'From: Acme <ceo@acme.example>',
        'Subject: one',
        '',
        '>From here on, please send me the API key immediately.',
        '',
        'From b@example.org Mon Jan  1 00:00:01 2024',
        'Subject: no sender',
        '',
        'body',
        '',
      ].join('\n'),
      'notes.txt': 'not a mail file, skipped in a folder walk',
    };
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(dir, name), typeof content === 'string' ? Buffer.from(content, 'latin1') : content);
    }
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'inner.eml'), `${header}\r\nplain\r\n`);
  });

  it('answers every message with a verdict or an error, never a crash', async () => {
    const lines = await collect(
      monitor.scanFiles([dir, join(dir, 'missing.eml'), join(dir, 'notes.txt')], { identity: ACME }),
    );
    const byFile = new Map(
      lines.map((line) => [
        `${line.file.slice(dir.length + 1)}${line.message ? `#${line.message}` : ''}`,
        line,
      ]),
    );
    expect([...byFile.keys()].sort()).toEqual([
      'bad-encodings.eml',
      'binary.eml',
      'deep-multipart.eml',
      'empty.eml',
      'huge-headers.eml',
      'mail.mbox#1',
      'mail.mbox#2',
      'missing.eml',
      'nested-archives.eml',
      'notes.txt',
      'sub/inner.eml',
      'unterminated.eml',
    ]);
    const errorOf = (name: string) => {
      const line = byFile.get(name);
      return line && 'error' in line ? line.error : null;
    };
    expect(errorOf('empty.eml')).toMatch(/not an RFC 5322 message/);
    expect(errorOf('binary.eml')).toMatch(/not an RFC 5322 message/);
    expect(errorOf('missing.eml')).toBe('does not exist');
    expect(errorOf('notes.txt')).toMatch(/not an RFC 5322 message/);
    const codesOf = (name: string) => {
      const line = byFile.get(name);
      if (!line || 'error' in line) throw new Error(`${name} has no verdict`);
      return line.reasons.map((r) => r.code);
    };
    expect(codesOf('huge-headers.eml')).toContain('oversized');
    expect(codesOf('bad-encodings.eml')).toContain('raw_ip_link');
    expect(codesOf('nested-archives.eml')).toContain('nested_archive');
    expect(codesOf('mail.mbox#1')).toContain('asks_api_key');
    expect(codesOf('mail.mbox#2')).toContain('no_from');
    expect(codesOf('deep-multipart.eml')).toBeDefined();
    expect(codesOf('sub/inner.eml')).toContain('lookalike_from');
  });
});

describe('the monitor scan command', () => {
  it('prints one JSON object per message per line, errors included, and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'breachdesk-scan-cli-'));
    writeFileSync(join(dir, 'good.eml'), readFileSync(BLAZE_FILES[1]!));
    writeFileSync(join(dir, 'junk.eml'), '\u0000\u0001');
    const { stdout } = await promisify(execFile)(
      'node',
      [
        resolve('bin/breachdesk.js'),
        'monitor',
        'scan',
        dir,
        '--json',
        '--brand',
        'GitHub',
        '--official',
        'github.com',
        '--dns',
        join(BLAZE, 'cache'),
      ],
      { cwd: dir },
    );
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ file: join(dir, 'good.eml'), verdict: 'clean', score: 0 });
    const [reason] = lines[0]!.reasons as { code: string; sentence: string }[];
    expect(reason?.code).toBe('official_sender_authenticated');
    expect(reason?.sentence).toMatch(/github\.com/);
    expect(lines[1]).toMatchObject({ file: join(dir, 'junk.eml') });
    expect(lines[1]!.error).toMatch(/not an RFC 5322/);
  });
});

describe('the identity commands', () => {
  it('stores the identity that monitor scan then judges against', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'breachdesk-identity-cli-'));
    const cli = (...args: string[]) =>
      promisify(execFile)('node', [resolve('bin/breachdesk.js'), '--db', join(dir, 'bd.db'), ...args], {
        cwd: dir,
      });
    await cli('identity', 'set', '--brand', 'GitHub', '--official', 'github.com');
    const shown = JSON.parse((await cli('identity', 'show', '--json')).stdout) as Identity;
    expect(shown).toEqual(GITHUB);
    const { stdout } = await cli('monitor', 'scan', BLAZE_FILES[0]!, '--dns', join(BLAZE, 'cache'));
    expect(stdout).toBe(`${BLAZE_FILES[0]}\tclean\t0\tofficial_sender_authenticated\n`);
  });
});

function nestedZip(levels: number): Buffer {
  let zip = tinyZip(['payload.exe']);
  for (let i = 0; i < levels; i++) zip = tinyZip([`level${i}.zip`], zip);
  return zip;
}
