import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, checkTotp, hotp, otpauthUri, totpStep } from '../../src/core/totp.js';

// RFC 6238 appendix B, SHA-1 rows: the seed is the ASCII string below, codes are 8 digits.
const SEED = Buffer.from('12345678901234567890', 'ascii');
const VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(VECTORS)('gives the RFC test vector at %i seconds', (seconds, code) => {
    expect(hotp(SEED, totpStep(new Date(seconds * 1000)), 8)).toBe(code);
  });

  it('gives the RFC 4226 HOTP vectors for the first counters', () => {
    const codes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((counter) => hotp(SEED, counter));
    expect(codes).toEqual([
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ]);
  });

  it('accepts the code of the step before and after, and not two steps away', () => {
    const at = new Date(1111111111 * 1000);
    const step = totpStep(at);
    expect(checkTotp(SEED, hotp(SEED, step - 1), at)).toEqual({ ok: true, step: step - 1 });
    expect(checkTotp(SEED, hotp(SEED, step + 1), at)).toEqual({ ok: true, step: step + 1 });
    expect(checkTotp(SEED, hotp(SEED, step + 2), at)).toEqual({ ok: false, reason: 'wrong' });
    expect(checkTotp(SEED, '12345', at)).toEqual({ ok: false, reason: 'malformed' });
    expect(checkTotp(SEED, '１２３４５６', at)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('round-trips base32 and writes an otpauth URI authenticator apps read', () => {
    expect(base32Encode(SEED)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')).toEqual(SEED);
    const uri = new URL(otpauthUri('breachdesk Acme', 'ana@acme.test', SEED));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(uri.searchParams.get('period')).toBe('30');
  });
});
