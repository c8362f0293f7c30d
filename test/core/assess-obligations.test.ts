import { describe, expect, it } from 'vitest';
import { assessObligations, ruleBookAt, type PlaceGroup } from '../../src/core/assess-obligations.js';
import { maskOf, type Category } from '../../src/core/categories.js';
import { OBLIGATION_RULE_BOOKS } from '../../src/core/obligation-rules.js';

const CANONICAL: Category[] = ['identifier', 'name', 'email', 'location', 'device', 'referrer'];
const facts = (awareAt: string, more: Partial<{ unauthorized: boolean; encrypted: boolean }> = {}) => ({
  awareAt: new Date(awareAt),
  unauthorized: true,
  encrypted: false,
  timeZone: 'Europe/Berlin',
  ...more,
});
const group = (
  country: string | null,
  region: string | null,
  people: number,
  categories = CANONICAL,
): PlaceGroup => ({
  country,
  region,
  categoryMask: maskOf(categories),
  people,
});
const CANONICAL_GROUPS = [
  group('US', 'CA', 40),
  group('US', 'NY', 30),
  group('US', 'TX', 20),
  group('DE', 'BAVARIA', 25),
  group('FR', null, 15),
  group('GB', 'ENGLAND', 12),
  group('JP', null, 8),
  group('BR', 'SP', 6),
  group('CA', 'ON', 5),
  group('AU', 'NSW', 4),
  group(null, null, 3),
  group('US', null, 2),
  group('MX', null, 1),
];

function statuses(groups: PlaceGroup[], awareAt = '2026-11-19T09:00:00Z', more = {}) {
  const result = assessObligations(OBLIGATION_RULE_BOOKS, facts(awareAt, more), groups);
  return Object.fromEntries(result.obligations.map((o) => [o.jurisdiction, o.status]));
}

describe('obligations', () => {
  it('gives the reference outcomes for the canonical case: no US statute, GDPR authority in 72 h, Japan, Brazil on scale', () => {
    const result = assessObligations(OBLIGATION_RULE_BOOKS, facts('2026-11-19T09:00:00Z'), CANONICAL_GROUPS);
    expect(statuses(CANONICAL_GROUPS)).toEqual({
      EU: 'required',
      UK: 'required',
      'US-CA': 'not_required',
      'US-NY': 'not_required',
      'US-TX': 'not_required',
      CA: 'required',
      AU: 'not_required',
      BR: 'judgement_call',
      JP: 'required',
    });
    const eu = result.obligations.find((o) => o.jurisdiction === 'EU')!;
    expect(eu.affected).toBe(40);
    expect(eu.deadline?.at).toBe('2026-11-22T09:00:00.000Z');
    expect(eu.notifications.map((n) => [n.recipient, n.status])).toEqual([
      ['authority', 'required'],
      ['individuals', 'judgement_call'],
      ['record', 'required'],
    ]);
    const canada = result.obligations.find((o) => o.jurisdiction === 'CA')!;
    expect(canada.notifications.map((n) => [n.recipient, n.status])).toEqual([
      ['authority', 'not_required'],
      ['record', 'required'],
    ]);
    const california = result.obligations.find((o) => o.jurisdiction === 'US-CA')!;
    expect(california.affected).toBe(0);
    expect(california.reasons[0]).toContain('40 people are located here');
    expect(california.reasons[0]).toContain('Cal. Civ. Code');
    expect(result.people).toEqual({
      total: 171,
      covered: 165,
      unknownLocation: 3,
      usStateUnknown: 2,
      elsewhere: 1,
    });
    expect(result.warnings).toHaveLength(2);
  });

  it('makes California and New York required, and counts only the people whose categories trigger them, when credentials leak', () => {
    const groups = [
      ...CANONICAL_GROUPS,
      group('US', 'CA', 7, ['email', 'credentials']),
      group('US', 'NY', 600, ['email', 'credentials']),
    ];
    const result = assessObligations(OBLIGATION_RULE_BOOKS, facts('2026-11-19T09:00:00Z'), groups);
    const california = result.obligations.find((o) => o.jurisdiction === 'US-CA')!;
    expect(california.status).toBe('required');
    expect(california).toMatchObject({ residents: 47, affected: 7 });
    // 30 calendar days in Los Angeles from 2026-11-19 01:00 PST.
    expect(california.deadline?.local).toBe('2026-12-19T23:59:59-08:00');
    expect(california.notifications.find((n) => n.recipient === 'attorney_general')?.status).toBe(
      'not_required',
    );
    const newYork = result.obligations.find((o) => o.jurisdiction === 'US-NY')!;
    expect(newYork.notifications.map((n) => [n.recipient, n.status])).toEqual([
      ['individuals', 'required'],
      ['state_agencies', 'required'],
      ['credit_bureaus', 'not_required'],
    ]);
    expect(statuses(groups)['US-TX']).toBe('not_required');
  });

  it('picks the rule version in effect at awareness: California has no fixed deadline before 2026', () => {
    expect(ruleBookAt(OBLIGATION_RULE_BOOKS, new Date('2025-12-31T23:59:59Z')).book.version).toBe(
      '2025-03-21',
    );
    expect(ruleBookAt(OBLIGATION_RULE_BOOKS, new Date('2026-01-01T00:00:00Z')).book.version).toBe(
      '2026-01-01',
    );
    expect(ruleBookAt(OBLIGATION_RULE_BOOKS, new Date('2025-01-10T00:00:00Z')).book.version).toBe(
      '2024-12-21',
    );
    const groups = [group('US', 'CA', 3, ['email', 'credentials'])];
    const before = assessObligations(OBLIGATION_RULE_BOOKS, facts('2025-11-19T09:00:00Z'), groups);
    const california = before.obligations.find((o) => o.jurisdiction === 'US-CA')!;
    expect(california.status).toBe('required');
    expect(california.deadline).toMatchObject({
      at: null,
      rule: 'in the most expedient time possible and without unreasonable delay',
    });
    const early = ruleBookAt(OBLIGATION_RULE_BOOKS, new Date('2020-01-01T00:00:00Z'));
    expect(early.warning).toContain('earliest version (2024-12-21)');
  });

  it('counts New York medical data as private information only from 2025-03-21', () => {
    const groups = [group('US', 'NY', 3, ['name', 'health'])];
    expect(statuses(groups, '2025-03-20T12:00:00Z')['US-NY']).toBe('not_required');
    expect(statuses(groups, '2025-03-21T12:00:00Z')['US-NY']).toBe('required');
  });

  it('lets encryption and an authorized disclosure lift the statutory duties, but not the GDPR record', () => {
    const groups = [group('US', 'CA', 3, ['email', 'credentials']), group('DE', null, 2)];
    expect(statuses(groups, '2026-11-19T09:00:00Z', { encrypted: true })).toMatchObject({
      'US-CA': 'not_required',
      EU: 'required',
    });
    const eu = assessObligations(
      OBLIGATION_RULE_BOOKS,
      facts('2026-11-19T09:00:00Z', { encrypted: true }),
      groups,
    ).obligations.find((o) => o.jurisdiction === 'EU')!;
    expect(eu.notifications.map((n) => n.status)).toEqual(['judgement_call', 'not_required', 'required']);
    expect(statuses(groups, '2026-11-19T09:00:00Z', { unauthorized: false })).toMatchObject({
      'US-CA': 'not_required',
      JP: 'not_required',
    });
  });

  it('makes Brazil required on authentication data and Japan on more than 1,000 people without an attacker', () => {
    expect(statuses([group('BR', null, 2, ['email', 'credentials'])])['BR']).toBe('required');
    expect(statuses([group('JP', null, 1001)], '2026-11-19T09:00:00Z', { unauthorized: false })['JP']).toBe(
      'required',
    );
    expect(statuses([group('JP', null, 1000)], '2026-11-19T09:00:00Z', { unauthorized: false })['JP']).toBe(
      'not_required',
    );
  });

  it('warns that an incident without people has nothing to assess yet', () => {
    const result = assessObligations(OBLIGATION_RULE_BOOKS, facts('2026-11-19T09:00:00Z'), []);
    expect(result.obligations.every((o) => o.status === 'not_required')).toBe(true);
    expect(result.warnings).toEqual([
      'The incident has no people yet: import its dataset before relying on this assessment.',
    ]);
  });

  it('applies thresholds to affected people: the California Attorney General above 500', () => {
    const over = assessObligations(OBLIGATION_RULE_BOOKS, facts('2026-11-19T09:00:00Z'), [
      group('US', 'CA', 501, ['email', 'credentials']),
    ]);
    const atLimit = assessObligations(OBLIGATION_RULE_BOOKS, facts('2026-11-19T09:00:00Z'), [
      group('US', 'CA', 500, ['email', 'credentials']),
    ]);
    const ag = (result: typeof over) =>
      result.obligations
        .find((o) => o.jurisdiction === 'US-CA')!
        .notifications.find((n) => n.recipient === 'attorney_general')?.status;
    expect(ag(over)).toBe('required');
    expect(ag(atLimit)).toBe('not_required');
  });
});
