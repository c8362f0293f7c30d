import { describe, expect, it } from 'vitest';
import { formatP, misuseStatistics } from '../../src/core/misuse-statistics.js';

describe('misuse statistics', () => {
  it('matches the hand-computed case: 3 of 4 leaked addresses targeted against 1 of 6 others', () => {
    const stats = misuseStatistics({
      leaked: { addresses: 4, targeted: 3, messages: 3 },
      rest: { addresses: 6, targeted: 1, messages: 1 },
    });
    // Hypergeometric weights C(4,x)·C(6,4−x) for x = 0…4: 15, 80, 90, 24, 1 (of 210).
    expect(stats.fisher.pTwoSided).toBeCloseTo(40 / 210, 12);
    expect(stats.fisher.pGreater).toBeCloseTo(25 / 210, 12);
    expect(stats.riskRatio).toBeCloseTo(4.5, 12);
    // Katz: exp(ln 4.5 ± 1.96·√(1/3 − 1/4 + 1/1 − 1/6)).
    const se = Math.sqrt(1 / 3 - 1 / 4 + 1 - 1 / 6);
    expect(stats.riskRatio95![0]).toBeCloseTo(Math.exp(Math.log(4.5) - 1.959964 * se), 5);
    expect(stats.riskRatio95![1]).toBeCloseTo(Math.exp(Math.log(4.5) + 1.959964 * se), 4);
    expect(stats.targetedShare).toEqual({ leaked: 0.75, rest: 1 / 6 });
    expect(stats.messagesPerThousand.leaked).toBeCloseTo(750, 9);
    expect(stats.messageRateRatio).toBeCloseTo(4.5, 12);
    expect(stats.conclusion).toBe('no_evidence');
    expect(stats.reason).toMatch(/3 of 4 leaked addresses.*1 of 6 others.*p = 0\.190.*not significant/);
  });

  it('calls misuse likely when the leaked set is targeted far more often', () => {
    const stats = misuseStatistics({
      leaked: { addresses: 100, targeted: 30, messages: 45 },
      rest: { addresses: 1000, targeted: 10, messages: 12 },
    });
    expect(stats.riskRatio).toBeCloseTo(30, 9);
    expect(stats.fisher.pTwoSided).toBeLessThan(1e-10);
    expect(stats.riskRatio95![0]).toBeGreaterThan(10);
    expect(stats.conclusion).toBe('misuse_likely');
    expect(stats.reason).toMatch(/the leaked addresses are being targeted/);
  });

  it('says p < 1e-300 where a double cannot hold the p-value', () => {
    const stats = misuseStatistics({
      leaked: { addresses: 20_000, targeted: 5_000, messages: 5_000 },
      rest: { addresses: 60_000, targeted: 100, messages: 100 },
    });
    expect(stats.fisher.pTwoSided).toBe(0);
    expect(stats.reason).toMatch(/p < 1e-300 \(Fisher's exact, two-sided\)/);
    expect(formatP(0.19047)).toBe('p = 0.190');
    expect(formatP(2.1e-7)).toBe('p = 2.10e-7');
  });

  it('does not call misuse when the rest of the directory is targeted more', () => {
    const stats = misuseStatistics({
      leaked: { addresses: 1000, targeted: 1, messages: 1 },
      rest: { addresses: 1000, targeted: 40, messages: 40 },
    });
    expect(stats.fisher.pTwoSided).toBeLessThan(0.05);
    expect(stats.conclusion).toBe('no_evidence');
  });

  it('leaves the ratio undefined when only leaked addresses were targeted, and still tests', () => {
    const stats = misuseStatistics({
      leaked: { addresses: 10, targeted: 10, messages: 12 },
      rest: { addresses: 10, targeted: 0, messages: 0 },
    });
    expect(stats.riskRatio).toBeNull();
    expect(stats.riskRatio95).toBeNull();
    expect(stats.fisher.pTwoSided).toBeCloseTo(2 / 184756, 12);
    expect(stats.conclusion).toBe('misuse_likely');
    expect(stats.reason).toMatch(/only leaked addresses were targeted/);
  });

  it('says there is nothing to compare without phishing or without a group', () => {
    expect(
      misuseStatistics({
        leaked: { addresses: 5, targeted: 0, messages: 0 },
        rest: { addresses: 5, targeted: 0, messages: 0 },
      }).conclusion,
    ).toBe('insufficient_data');
    expect(
      misuseStatistics({
        leaked: { addresses: 0, targeted: 0, messages: 0 },
        rest: { addresses: 5, targeted: 2, messages: 2 },
      }).conclusion,
    ).toBe('insufficient_data');
  });
});
