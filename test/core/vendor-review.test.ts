import { describe, expect, it } from 'vitest';
import { loadCatalogueFolder } from '../../src/adapters/catalogue-folder.js';
import {
  parseRequirementCatalogue,
  type RequirementCatalogue,
} from '../../src/core/requirement-catalogue.js';
import { evaluateReview, newlyFailing } from '../../src/core/review-evaluation.js';
import { reviewStanding } from '../../src/core/review-standing.js';
import { nextReviewDue, peopleByJurisdiction, vendorRisk } from '../../src/core/vendor-risk.js';

const catalogue = (requirements: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name: 'ours', version: 1, published: '2026-01-01', requirements, ...extra });

describe('requirement catalogues', () => {
  it('ships v1 and v2 of one catalogue, v2 raising three requirements and keeping their ids', () => {
    const [v1, v2] = loadCatalogueFolder();
    expect([v1!.name, v1!.version, v2!.name, v2!.version]).toEqual([
      'breachdesk-default',
      1,
      'breachdesk-default',
      2,
    ]);
    expect(v2!.requirements.map((r) => r.id)).toEqual(v1!.requirements.map((r) => r.id));
    const changed = v2!.requirements.filter(
      (r, i) => JSON.stringify(r) !== JSON.stringify(v1!.requirements[i]),
    );
    expect(changed.map((r) => r.id)).toEqual(['assurance_report', 'staff_mfa', 'breach_notice_hours']);
  });

  it.each([
    ['{', /catalogue ours\.json is not valid JSON/],
    [catalogue([], { version: 0 }), /catalogue ours\.json: version must be a whole number from 1/],
    [catalogue([]), /requirements must be a non-empty list/],
    [
      catalogue([{ id: 'a', title: 'A', check: { kind: 'maybe' } }]),
      /requirements\[0\]\.check\.kind must be one of yes, one_of, at_most, at_least/,
    ],
    [
      catalogue([{ id: 'a', title: 'A', check: { kind: 'one_of', options: ['x'], accept: ['y'] } }]),
      /requirements\[0\]\.check\.accept has "y", which is not in options/,
    ],
    [
      catalogue([
        { id: 'a', title: 'A', check: { kind: 'yes' } },
        { id: 'a', title: 'B', check: { kind: 'yes' } },
      ]),
      /requirements\[1\]\.id "a" appears twice/,
    ],
    [
      catalogue([{ id: 'a', title: 'A', check: { kind: 'yes' }, evidenceRequierd: true }]),
      /requirements\[0\]\.evidenceRequierd is not a field/,
    ],
    [
      catalogue([{ id: 'a', title: 'A', check: { kind: 'yes' }, categories: ['dna'] }]),
      /requirements\[0\]\.categories\[0\] is not one of/,
    ],
    [
      catalogue([{ id: 'A B', title: 'A', check: { kind: 'yes' } }]),
      /requirements\[0\]\.id must be lower-case/,
    ],
  ])('refuses a malformed catalogue naming the field (%#)', (text, message) => {
    expect(() => parseRequirementCatalogue(text, 'ours.json')).toThrow(message);
  });
});

describe('review evaluation', () => {
  const ours: RequirementCatalogue = parseRequirementCatalogue(
    catalogue([
      {
        id: 'report',
        title: 'Report',
        check: { kind: 'one_of', options: ['none', 'soc2'], accept: ['soc2'] },
        evidenceRequired: true,
      },
      { id: 'notice', title: 'Notice', check: { kind: 'at_most', limit: 72, unit: 'hours' } },
      { id: 'retention', title: 'Retention', check: { kind: 'at_least', limit: 1, unit: 'years' } },
      { id: 'mfa', title: 'MFA', check: { kind: 'yes' } },
      { id: 'pci', title: 'PCI', check: { kind: 'yes' }, categories: ['payment'] },
    ]),
    'ours.json',
  );

  it('gives every requirement an outcome with its reason', () => {
    const evaluation = evaluateReview(ours, {
      answers: { report: 'soc2', notice: 96, retention: 'long', mfa: true },
      evidence: {},
      categories: ['email'],
    });
    expect(evaluation.results.map((r) => [r.id, r.outcome, r.reason])).toEqual([
      ['report', 'unknown', 'answered "soc2" without the evidence link this requirement needs'],
      ['notice', 'not_met', 'answered 96, wanted at most 72 hours'],
      ['retention', 'unknown', 'answer "long" is not a number of years'],
      ['mfa', 'met', 'answered true, wanted yes'],
      ['pci', 'not_applicable', 'applies only to vendors receiving payment'],
    ]);
    expect(evaluation).toMatchObject({ verdict: 'fail', met: 1, notMet: 1, unknown: 2 });
  });

  it('is incomplete, not passing, while a requirement is unanswered', () => {
    const evaluation = evaluateReview(ours, {
      answers: { report: 'soc2', notice: 24, mfa: true, pci: true },
      evidence: { report: 'https://x.test/r.pdf' },
      categories: ['payment'],
    });
    expect(evaluation.verdict).toBe('incomplete');
    expect(evaluation.results.find((r) => r.id === 'retention')!.reason).toBe(
      'not answered (wanted: at least 1 years)',
    );
  });

  it('names only requirements met before and not met after a raise', () => {
    const raised = {
      ...ours,
      version: 2,
      requirements: ours.requirements.map((r) =>
        r.id === 'notice' ? { ...r, check: { kind: 'at_most' as const, limit: 24, unit: 'hours' } } : r,
      ),
    };
    const input = { answers: { notice: 48, mfa: false }, evidence: {}, categories: [] };
    expect(newlyFailing(evaluateReview(ours, input), evaluateReview(raised, input)).map((r) => r.id)).toEqual(
      ['notice'],
    );
  });
});

describe('vendor risk', () => {
  it('multiplies summed category weights by people and tiers the score', () => {
    expect(vendorRisk(['name', 'email', 'location'], 10_000)).toMatchObject({
      sensitivity: 7,
      score: 70_000,
      tier: 'high',
      cadenceMonths: 6,
    });
    expect(vendorRisk(['credentials'], 200)).toMatchObject({
      score: 2_000,
      tier: 'medium',
      cadenceMonths: 12,
    });
    expect(vendorRisk(['credentials'], 199)).toMatchObject({ tier: 'low', cadenceMonths: 24 });
    expect(vendorRisk(['health'], 0).reason).toBe('sensitivity 10 (health 10) × 0 people = 0, < 2,000: low');
  });

  it('adds calendar months, ending on the last day of a shorter month', () => {
    expect(nextReviewDue('2026-08-31T10:00:00.000Z', 6)).toBe('2027-02-28T10:00:00.000Z');
    expect(nextReviewDue('2026-11-20T09:00:00.000Z', 24)).toBe('2028-11-20T09:00:00.000Z');
  });

  it('maps places to jurisdictions, counting places no law covers as unknown', () => {
    expect(
      peopleByJurisdiction([
        { country: 'DE', region: null, people: 2 },
        { country: 'Germany', region: null, people: 1 },
        { country: 'US', region: 'Texas', people: 4 },
        { country: 'US', region: null, people: 1 },
        { country: null, region: null, people: 3 },
        { country: 'CH', region: null, people: 1 },
      ]),
    ).toEqual([
      { jurisdiction: 'unknown', people: 5 },
      { jurisdiction: 'US-TX', people: 4 },
      { jurisdiction: 'EU', people: 3 },
    ]);
  });
});

describe('review standing', () => {
  const [v1, v2] = loadCatalogueFolder();
  const v3 = { ...v2!, version: 3 };
  const risk = vendorRisk(['email'], 1_000);
  const review = {
    id: 'rev_1',
    reviewedAt: '2026-01-10T00:00:00.000Z',
    catalogue: v1!,
    answers: { breach_notice_hours: 48 },
    evidence: {},
    verdict: 'incomplete' as const,
    notMet: 0,
    unknown: 9,
  };
  const input = {
    now: '2026-11-20T00:00:00.000Z',
    vendor: { name: 'Mixpanel', status: 'active', categories: ['email' as const] },
    risk,
    review,
    catalogues: [v3, v1!, v2!],
    overdueFindings: [],
  };

  it('judges the last review against the newest version of its catalogue only', () => {
    const standing = reviewStanding(input);
    expect(standing.newer).toMatchObject({ catalogue: 'breachdesk-default v3', verdict: 'fail' });
    expect(standing.newer!.nowFailing.map((r) => r.id)).toEqual(['breach_notice_hours']);
    // 3,000 is medium risk: every 12 months from 10 January.
    expect([standing.nextDue, standing.overdue]).toEqual(['2027-01-10T00:00:00.000Z', false]);
  });

  it('needs no review of a vendor removed from production, and one of a suspended vendor', () => {
    expect(
      reviewStanding({ ...input, review: null, vendor: { ...input.vendor, status: 'removed' } }).problems,
    ).toEqual([]);
    expect(
      reviewStanding({ ...input, review: null, vendor: { ...input.vendor, status: 'suspended' } }).problems,
    ).toEqual(['never reviewed']);
  });
});
