import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { domainToASCII, domainToUnicode } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { isUserError } from '../../src/core/errors.js';
import {
  FUZZERS,
  HOMOGLYPH_LIMIT,
  isValidHostName,
  lookalikeDomains,
  parseWordList,
  splitDomain,
  type LookalikeOptions,
} from '../../src/core/lookalike-domains.js';

const run = promisify(execFile);
const FIXTURES = 'test/fixtures/lookalikes';
const DNSTWIST_DICTIONARIES = '/usr/share/dnstwist/dictionaries';

function wordFile(path: string, kind: 'dictionary' | 'tlds'): string[] {
  return parseWordList(readFileSync(path, 'utf8'), kind, path);
}

/** dnstwist's own list, lowercased (it keeps a dictionary word's case), in punycode as it prints. */
async function dnstwistList(domain: string, dictionary?: string, tlds?: string): Promise<string[]> {
  const args = ['--format', 'list'];
  if (dictionary) args.push('--dictionary', dictionary);
  if (tlds) args.push('--tld', tlds);
  const { stdout } = await run('dnstwist', [...args, domain], { maxBuffer: 256 * 1024 * 1024 });
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().toLowerCase());
}

async function expectSuperset(domain: string, dictionary?: string, tlds?: string): Promise<void> {
  const theirs = await dnstwistList(domain, dictionary, tlds);
  const options: LookalikeOptions = {
    dictionary: dictionary ? wordFile(dictionary, 'dictionary') : [],
    tlds: tlds ? wordFile(tlds, 'tlds') : [],
  };
  const ours = new Set(lookalikeDomains(domain, options).map((l) => l.punycode));
  const missing = theirs.filter((name) => !ours.has(name));
  expect(missing, `${domain}: dnstwist lists ${missing.length} domains we do not`).toEqual([]);
  expect(ours.size).toBeGreaterThanOrEqual(theirs.length);
}

describe('lookalike domains compared with dnstwist', () => {
  beforeAll(() => {
    try {
      execFileSync('dnstwist', ['--help'], { stdio: 'ignore' });
    } catch {
      throw new Error(
        'dnstwist is not installed: run the tests with scripts/test.sh (it installs it) or apt-get install dnstwist',
      );
    }
  });

  it('covers every domain dnstwist finds for a short name', () => expectSuperset('ab.io'), 60_000);

  it(
    'covers every domain dnstwist finds with its English dictionary and common TLDs',
    () =>
      expectSuperset(
        'paypal.com',
        `${DNSTWIST_DICTIONARIES}/english.dict`,
        `${DNSTWIST_DICTIONARIES}/common_tlds.dict`,
      ),
    60_000,
  );

  it(
    'covers every domain dnstwist finds for a hyphenated name with our word and suffix files',
    () => expectSuperset('my-brand.com', `${FIXTURES}/words.txt`, `${FIXTURES}/tlds.txt`),
    60_000,
  );

  it(
    'covers every domain dnstwist finds under a multi-label suffix',
    () =>
      expectSuperset(
        'example.co.uk',
        `${DNSTWIST_DICTIONARIES}/french.dict`,
        `${DNSTWIST_DICTIONARIES}/abused_tlds.dict`,
      ),
    60_000,
  );

  it(
    'covers every domain dnstwist finds for a brand full of m (rn, nn, rr)',
    () => expectSuperset('mammut.com'),
    60_000,
  );

  it('covers every domain dnstwist finds below a subdomain', () => expectSuperset('www.paypal.com'), 60_000);

  it(
    'covers every domain dnstwist finds for an internationalized name',
    () => expectSuperset('bücher.de'),
    60_000,
  );

  it(
    'covers every domain dnstwist finds for a long name',
    () => expectSuperset('northwindtraders.com'),
    180_000,
  );
});

describe('lookalike domains', () => {
  const all = lookalikeDomains('paypal.com', { dictionary: ['login'], tlds: ['net', 'co.uk'] });

  it('lists the original first and every other domain once', () => {
    expect(all[0]).toEqual({ fuzzer: 'original', domain: 'paypal.com', punycode: 'paypal.com' });
    expect(new Set(all.map((l) => l.punycode)).size).toBe(all.length);
    expect(all.filter((l) => l.fuzzer === 'original')).toHaveLength(1);
  });

  it('produces every family', () => {
    const families = new Set(all.map((l) => l.fuzzer));
    for (const fuzzer of FUZZERS) expect(families, fuzzer).toContain(fuzzer);
  });

  it('gives each lookalike the punycode node:url gives and the Unicode form it decodes to', () => {
    for (const l of lookalikeDomains('mammut-bücher.com')) {
      expect(l.punycode, l.domain).toBe(domainToASCII(l.domain));
      expect(l.domain, l.punycode).toBe(domainToUnicode(l.punycode));
    }
  });

  it('keeps only valid host names: LDH labels of at most 63 characters', () => {
    const long = `${'a'.repeat(62)}b.com`;
    const lookalikes = lookalikeDomains(long, { fuzzers: FUZZERS.filter((f) => f !== 'homoglyph') });
    expect(lookalikes.length).toBeGreaterThan(100);
    for (const l of lookalikes) {
      expect(isValidHostName(l.punycode), l.punycode).toBe(true);
      for (const label of l.punycode.split('.')) {
        expect(label.length).toBeLessThanOrEqual(63);
        expect(label).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
      }
    }
    expect(lookalikes.some((l) => l.punycode === `${'a'.repeat(62)}b0.com`)).toBe(false);
  });

  it('stops the homoglyph family at its limit for a name of one letter repeated', () => {
    const lookalikes = lookalikeDomains(`${'a'.repeat(20)}.com`, { fuzzers: ['homoglyph'] });
    expect(lookalikes).toHaveLength(HOMOGLYPH_LIMIT + 1);
  }, 60_000);

  it('finds the classic lookalikes of each family', () => {
    const byFuzzer = (domain: string) => all.find((l) => l.punycode === domain)?.fuzzer;
    expect(byFuzzer('paypal1.com')).toBe('addition');
    expect(byFuzzer('paypol.com')).toBe('vowel-swap');
    expect(byFuzzer('paypa1.com')).toBe('homoglyph');
    expect(byFuzzer('xn--80aa0cbo65f.com')).toBe('cyrillic');
    expect(byFuzzer('pay-pal.com')).toBe('hyphenation');
    expect(byFuzzer('paypals.com')).toBe('plural');
    expect(byFuzzer('pay.pal.com')).toBe('subdomain');
    expect(byFuzzer('paypal-login.com')).toBe('dictionary');
    expect(byFuzzer('paypal.co.uk')).toBe('tld-swap');
    expect(byFuzzer('paypalcom.com')).toBe('various');
    expect(all.find((l) => l.fuzzer === 'cyrillic')?.domain).toBe('раураӏ.com');
  });

  it('swaps rn for m and m for rn', () => {
    const domains = lookalikeDomains('mammut.com', { fuzzers: ['homoglyph'] }).map((l) => l.punycode);
    expect(domains).toContain('rnammut.com');
    expect(domains).toContain('marnmut.com');
    expect(domains).toContain('rnarnmut.com');
  });

  it('pluralizes each word of a hyphenated name', () => {
    const plurals = lookalikeDomains('my-box.com', { fuzzers: ['plural'] }).map((l) => l.punycode);
    expect(plurals).toEqual(['my-box.com', 'mys-box.com', 'my-boxes.com', 'my-boxs.com']);
  });

  it('keeps the subdomain and the multi-label suffix around every variant', () => {
    expect(splitDomain('www.example.co.uk')).toEqual({ subdomain: 'www', name: 'example', suffix: 'co.uk' });
    const lookalikes = lookalikeDomains('www.example.co.uk', { fuzzers: ['omission'] });
    expect(lookalikes.map((l) => l.punycode)).toContain('www.exmple.co.uk');
  });

  it('accepts a URL, upper case and punycode for the domain', () => {
    expect(lookalikeDomains('https://Example.COM/login?x=1')[0]?.punycode).toBe('example.com');
    expect(lookalikeDomains('xn--bcher-kva.de')[0]?.domain).toBe('bücher.de');
  });

  it('refuses what is not a registrable domain name, naming it', () => {
    for (const input of [
      'co.uk',
      '192.0.2.1',
      'localhost',
      '',
      'exa mple.com',
      'exa_mple.com',
      '-example.com',
    ]) {
      let error: unknown;
      try {
        lookalikeDomains(input);
      } catch (caught) {
        error = caught;
      }
      expect(isUserError(error), input).toBe(true);
    }
  });
});

describe('word and suffix files', () => {
  it('reads words lowercased, skipping blank lines and comments', () => {
    expect(
      parseWordList('Login\n\n# note\n// dnstwist note\nsecure\r\nlogin\n', 'dictionary', 'w.txt'),
    ).toEqual(['login', 'secure']);
  });

  it('reads multi-label suffixes and drops a leading dot', () => {
    expect(parseWordList('net\n.co.uk\n', 'tlds', 't.txt')).toEqual(['net', 'co.uk']);
  });

  it('names the file and line of an entry that cannot be part of a domain', () => {
    expect(() => parseWordList('ok\nbad word\n', 'dictionary', 'w.txt')).toThrow(
      expect.objectContaining({ context: { file: 'w.txt', line: 2 } }),
    );
    expect(() => parseWordList('net\nco..uk\n', 'tlds', 't.txt')).toThrow(
      expect.objectContaining({ context: { file: 't.txt', line: 2 } }),
    );
  });
});
