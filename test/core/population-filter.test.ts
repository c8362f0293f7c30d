import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatPopulation,
  parsePopulation,
  type PopulationClause,
} from '../../src/core/population-filter.js';

describe('population filter', () => {
  it('reads conditions joined by semicolons, with =, !=, in and not in', () => {
    expect(
      parsePopulation(
        'Country in (DE, FR); plan = enterprise; status != deleted; state not in (NY,"New York")',
      ),
    ).toEqual([
      { column: 'country', op: 'in', values: ['DE', 'FR'] },
      { column: 'plan', op: 'in', values: ['enterprise'] },
      { column: 'status', op: 'not_in', values: ['deleted'] },
      { column: 'state', op: 'not_in', values: ['NY', 'New York'] },
    ]);
  });

  it('takes every account for all or nothing', () => {
    expect(parsePopulation('all')).toEqual([]);
    expect(parsePopulation('  ')).toEqual([]);
    expect(formatPopulation([])).toBe('all');
  });

  it('keeps quotes, commas and SQL inside quoted values as plain text', () => {
    expect(parsePopulation(`name = "O'Brien, ""Fay"""; note = 'x''); drop table account; --'`)).toEqual([
      { column: 'name', op: 'in', values: [`O'Brien, "Fay"`] },
      { column: 'note', op: 'in', values: [`x'); drop table account; --`] },
    ]);
    expect(parsePopulation('city = New York')).toEqual([{ column: 'city', op: 'in', values: ['New York'] }]);
  });

  it.each([
    ['plan = ', /expected a value after "=" at character 8/],
    ['plan enterprise', /expected =, !=, in \(…\) or not in \(…\) after "plan enterprise"/],
    ['country in (DE FR', /expected "," or "\)" in the list at character 18/],
    ['country in (DE); ; plan = x', /expected a column name at character 18/],
    ['plan = "free', /unterminated " quote starting at character 8/],
    ['plan ! free', /"!" must be followed by "=" at character 6/],
    ['"plan" = free', /expected a column name at character 1/],
    ['pl$an = free', /"pl\$an" is not a column name/],
    ['country of (DE)', /expected "COLUMN in \(…\)" or "COLUMN not in \(…\)"/],
    ['plan = a b = c', /expected ";" between conditions/],
  ])('refuses %s with the place of the problem', (text, message) => {
    expect(() => parsePopulation(text)).toThrow(message);
  });

  it('formats a filter that parses back to itself', () => {
    const value = fc.string({ minLength: 0, maxLength: 12 });
    const clause = fc.record({
      column: fc.constantFrom('country', 'plan', 'name', 'region.code', 'x-y'),
      op: fc.constantFrom<'in' | 'not_in'>('in', 'not_in'),
      values: fc.uniqueArray(value, { minLength: 1, maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.array(clause, { minLength: 1, maxLength: 4 }), (filter: PopulationClause[]) => {
        expect(parsePopulation(formatPopulation(filter))).toEqual(filter);
      }),
    );
  });
});
