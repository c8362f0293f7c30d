import { describe, expect, it } from 'vitest';
import { memoryDnsResolver, type ZoneEntry } from '../../src/adapters/dns-resolver.js';
import { isUserError } from '../../src/core/errors.js';
import { LookalikeService } from '../../src/services/lookalike.service.js';

const ZONE: Record<string, ZoneEntry> = {
  'paypal.com': {
    ns: ['ns1.paypal.com'],
    a: ['192.0.2.1'],
    mx: [{ exchange: 'mx.paypal.com', priority: 10 }],
  },
  'paypa1.com': { ns: ['ns1.parking.test'], a: ['198.51.100.7'] },
  'paypal-login.com': {
    mx: [
      { exchange: 'mx2.evil.test', priority: 20 },
      { exchange: 'mx1.evil.test', priority: 10 },
    ],
  },
  'xn--80aa0cbo65f.com': { aaaa: ['2001:db8::1'] },
  'host.paypai.com': { a: ['203.0.113.9'] },
};

async function watch(options: Parameters<LookalikeService['watch']>[0], resolver = memoryDnsResolver(ZONE)) {
  return { resolver, lookalikes: await new LookalikeService({ resolver }).watch(options) };
}

describe('the lookalike watch', () => {
  it('marks the lookalikes that have NS, A, AAAA or MX records as registered, with the records', async () => {
    const { lookalikes } = await watch({
      domain: 'paypal.com',
      resolve: true,
      fuzzers: 'homoglyph,cyrillic',
    });
    const registered = lookalikes.filter((l) => l.dns?.status === 'registered');
    expect(registered.map((l) => l.punycode).sort()).toEqual([
      'paypa1.com',
      'paypal.com',
      'xn--80aa0cbo65f.com',
    ]);
    expect(registered.find((l) => l.punycode === 'paypa1.com')?.dns).toMatchObject({
      ns: ['ns1.parking.test'],
      a: ['198.51.100.7'],
      reason: 'has NS, A',
    });
    const rest = lookalikes.filter((l) => l.dns?.status !== 'registered');
    expect(rest.length).toBe(lookalikes.length - 3);
    expect(rest.every((l) => l.dns?.status === 'unregistered')).toBe(true);
  });

  it('lists MX hosts by priority and counts a name with only MX as registered', async () => {
    const { lookalikes } = await watch({
      domain: 'paypal.com',
      registeredOnly: true,
      fuzzers: 'dictionary',
      dictionaryFile: 'test/fixtures/lookalikes/words.txt',
    });
    expect(lookalikes.map((l) => [l.punycode, l.dns?.mx])).toEqual([
      ['paypal.com', ['mx.paypal.com']],
      ['paypal-login.com', ['mx1.evil.test', 'mx2.evil.test']],
    ]);
  });

  it('asks only NS for a name that does not exist', async () => {
    const { resolver, lookalikes } = await watch({
      domain: 'paypal.com',
      resolve: true,
      fuzzers: 'omission',
    });
    const existing = lookalikes.filter((l) => l.dns?.status !== 'unregistered').length;
    expect(existing).toBe(1);
    expect(resolver.stats.queries).toBe(lookalikes.length + 3 * existing);
  });

  it('never has more lookalikes in flight than the concurrency allows', async () => {
    const resolver = memoryDnsResolver(ZONE, { delayMs: 2 });
    await watch({ domain: 'paypal.com', resolve: true, fuzzers: 'addition', concurrency: 3 }, resolver);
    // One lookup at a time per lookalike until NS answers, then A, AAAA and MX together.
    expect(resolver.stats.peakInFlight).toBeGreaterThanOrEqual(3);
    expect(resolver.stats.peakInFlight).toBeLessThanOrEqual(3 * 3);
    const serial = memoryDnsResolver(ZONE, { delayMs: 1 });
    await watch({ domain: 'paypal.com', resolve: true, fuzzers: 'addition', concurrency: 1 }, serial);
    expect(serial.stats.peakInFlight).toBeLessThanOrEqual(3);
  });

  it('reports a lookalike whose lookups time out as unknown, never as unregistered', async () => {
    const resolver = memoryDnsResolver(ZONE, { failures: { 'paypa1.com': 'ETIMEOUT' } });
    const { lookalikes } = await watch(
      { domain: 'paypal.com', resolve: true, fuzzers: 'homoglyph' },
      resolver,
    );
    expect(lookalikes.find((l) => l.punycode === 'paypa1.com')?.dns).toMatchObject({
      status: 'unknown',
      reason: 'lookup failed: NS ETIMEOUT, A ETIMEOUT, AAAA ETIMEOUT, MX ETIMEOUT',
    });
  });

  it('treats a name that exists only below (an empty non-terminal) as unregistered', async () => {
    const { lookalikes } = await watch({ domain: 'paypal.com', resolve: true, fuzzers: 'homoglyph' });
    expect(lookalikes.find((l) => l.punycode === 'paypai.com')?.dns).toMatchObject({
      status: 'unregistered',
      reason: 'no NS, A, AAAA or MX record',
      a: [],
    });
    expect(lookalikes.find((l) => l.domain === 'paypaɫ.com')?.dns?.reason).toBe('no such domain');
  });

  it('generates without any lookup unless asked to resolve', async () => {
    const { resolver, lookalikes } = await watch({ domain: 'paypal.com' });
    expect(lookalikes.length).toBeGreaterThan(1000);
    expect(lookalikes.every((l) => !('dns' in l))).toBe(true);
    expect(resolver.stats.queries).toBe(0);
  });

  it('reports progress up to the total', async () => {
    const seen: [number, number][] = [];
    await watch({
      domain: 'paypal.com',
      resolve: true,
      fuzzers: 'omission',
      onProgress: (checked, total) => seen.push([checked, total]),
    });
    expect(seen.at(-1)).toEqual([seen.length, seen.length]);
  });

  it('refuses an unknown family, a bad concurrency and a missing file with a clear error', async () => {
    for (const options of [
      { domain: 'paypal.com', fuzzers: 'typo' },
      { domain: 'paypal.com', resolve: true, concurrency: 0 },
      { domain: 'paypal.com', tldsFile: 'test/fixtures/lookalikes/none.txt' },
    ]) {
      const error = await watch(options).catch((caught: unknown) => caught);
      expect(isUserError(error), JSON.stringify(options)).toBe(true);
    }
  });
});
