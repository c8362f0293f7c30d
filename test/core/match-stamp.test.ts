import { describe, expect, it } from 'vitest';
import { matchStamp, type MatchInputs } from '../../src/core/match-stamp.js';

const one = { id: 'ds_a', sha256: 'aa', rowsRead: 10, rowsValid: 9, orgKeys: '["org_id"]' };
const two = { id: 'ds_b', sha256: 'bb', rowsRead: 5, rowsValid: 5, orgKeys: '[]' };
const inputs: MatchInputs = { rules: 'r1', directoryVersion: '3', datasets: [one, two] };

describe('match stamp', () => {
  it('does not depend on the order the datasets are listed in', () => {
    expect(matchStamp({ ...inputs, datasets: [two, one] })).toBe(matchStamp(inputs));
  });

  it('changes with a dataset added, a directory version, the rules or any dataset field', () => {
    const stamp = matchStamp(inputs);
    const variants: MatchInputs[] = [
      { ...inputs, datasets: [one] },
      { ...inputs, datasets: [one, two, { ...two, id: 'ds_c' }] },
      { ...inputs, directoryVersion: '4' },
      { ...inputs, directoryVersion: null },
      { ...inputs, rules: 'r2' },
      { ...inputs, datasets: [{ ...one, sha256: 'ab' }, two] },
      { ...inputs, datasets: [{ ...one, rowsRead: 11 }, two] },
      { ...inputs, datasets: [{ ...one, rowsValid: 10 }, two] },
      { ...inputs, datasets: [{ ...one, orgKeys: '[]' }, two] },
    ];
    expect(new Set(variants.map(matchStamp)).size).toBe(variants.length);
    for (const variant of variants) expect(matchStamp(variant)).not.toBe(stamp);
  });
});
