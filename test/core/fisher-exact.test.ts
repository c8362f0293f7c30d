import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fisherExact, logFactorial, type TwoByTwo } from '../../src/core/fisher-exact.js';

/** An independent reference: exact hypergeometric probabilities as BigInt ratios, summed R's way. */
function exactReference({ a, b, c, d }: TwoByTwo): { twoSided: number; greater: number; less: number } {
  const choose = (n: number, k: number): bigint => {
    let result = 1n;
    for (let i = 1; i <= k; i++) result = (result * BigInt(n - k + i)) / BigInt(i);
    return result;
  };
  const row1 = a + b;
  const row2 = c + d;
  const column1 = a + c;
  const total = choose(row1 + row2, column1);
  const weights: [number, bigint][] = [];
  for (let x = Math.max(0, column1 - row2); x <= Math.min(row1, column1); x++) {
    weights.push([x, choose(row1, x) * choose(row2, column1 - x)]);
  }
  const observed = weights.find(([x]) => x === a)![1];
  const ratio = (n: bigint) => Number((n * 10n ** 30n) / total) / 1e30;
  const sum = (keep: (x: number, w: bigint) => boolean) =>
    ratio(weights.filter(([x, w]) => keep(x, w)).reduce((s, [, w]) => s + w, 0n));
  return {
    twoSided: sum((_x, w) => w <= observed),
    greater: sum((x) => x >= a),
    less: sum((x) => x <= a),
  };
}

describe("Fisher's exact test", () => {
  it("gives R's fisher.test p-values for the lady tasting tea (3,1,1,3)", () => {
    const result = fisherExact({ a: 3, b: 1, c: 1, d: 3 });
    // R: fisher.test(matrix(c(3,1,1,3),2)) p-value = 0.4857; alternative="greater" 0.2429.
    expect(result.pTwoSided).toBeCloseTo(0.4857143, 6);
    expect(result.pGreater).toBeCloseTo(0.2428571, 6);
    expect(result.pLess).toBeCloseTo(0.9857143, 6);
  });

  it('gives the published p-values for the dieting example (1,9,11,3)', () => {
    const result = fisherExact({ a: 1, b: 9, c: 11, d: 3 });
    // R: fisher.test(matrix(c(1,11,9,3),2)) p-value = 0.002759. One-sided: the observed table's
    // own probability 0.001346 plus the one more extreme table's 0.0000337.
    expect(result.pTwoSided).toBeCloseTo(0.002759, 6);
    expect(result.pLess).toBeCloseTo(0.00137973, 7);
  });

  it('gives 2 / C(20,10) for a perfectly separated 10×10 table', () => {
    expect(fisherExact({ a: 10, b: 0, c: 0, d: 10 }).pTwoSided).toBeCloseTo(2 / 184756, 12);
  });

  it('gives 1 when nothing could differ', () => {
    expect(fisherExact({ a: 0, b: 5, c: 0, d: 7 })).toEqual({ pTwoSided: 1, pGreater: 1, pLess: 1 });
  });

  it('agrees with exact rational arithmetic on random tables', () => {
    const count = fc.integer({ min: 0, max: 60 });
    fc.assert(
      fc.property(count, count, count, count, (a, b, c, d) => {
        const result = fisherExact({ a, b, c, d });
        const reference = exactReference({ a, b, c, d });
        expect(result.pTwoSided).toBeCloseTo(reference.twoSided, 9);
        expect(result.pGreater).toBeCloseTo(reference.greater, 9);
        expect(result.pLess).toBeCloseTo(reference.less, 9);
      }),
      { numRuns: 300 },
    );
  });

  it('stays accurate past the exact log-factorial table (margins in the thousands)', () => {
    const table = { a: 40, b: 960, c: 25, d: 1975 };
    const result = fisherExact(table);
    const reference = exactReference(table);
    expect(result.pTwoSided / reference.twoSided).toBeCloseTo(1, 9);
    expect(result.pGreater / reference.greater).toBeCloseTo(1, 9);
  });

  it('stays finite for a directory of millions', () => {
    const result = fisherExact({ a: 30, b: 999_970, c: 10, d: 1_999_990 });
    expect(result.pTwoSided).toBeGreaterThan(0);
    expect(result.pTwoSided).toBeLessThan(1e-6);
    expect(Number.isFinite(result.pGreater)).toBe(true);
  });

  it('is the same test with the groups swapped', () => {
    const one = fisherExact({ a: 7, b: 13, c: 2, d: 30 });
    const other = fisherExact({ a: 2, b: 30, c: 7, d: 13 });
    expect(one.pTwoSided).toBeCloseTo(other.pTwoSided, 12);
    expect(one.pGreater).toBeCloseTo(other.pLess, 12);
  });

  it('refuses counts that are not non-negative integers', () => {
    expect(() => fisherExact({ a: -1, b: 1, c: 1, d: 1 })).toThrow(/non-negative integer/);
    expect(() => fisherExact({ a: 1.5, b: 1, c: 1, d: 1 })).toThrow(/non-negative integer/);
  });

  it('computes log-factorials by Stirling beyond the table to within 1e-12', () => {
    let sum = 0;
    for (let n = 2; n <= 5000; n++) sum += Math.log(n);
    expect(Math.abs(logFactorial(5000) - sum) / sum).toBeLessThan(1e-12);
    expect(logFactorial(0)).toBe(0);
    expect(logFactorial(1)).toBe(0);
  });
});
