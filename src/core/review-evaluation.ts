import type { Category } from './categories.js';
import { describeCheck, type Requirement, type RequirementCatalogue } from './requirement-catalogue.js';
import type { Answer } from './review-answers.js';

export type RequirementOutcome = 'met' | 'not_met' | 'unknown' | 'not_applicable';

export interface RequirementResult {
  id: string;
  title: string;
  outcome: RequirementOutcome;
  reason: string;
}

/** `fail` when any requirement is not met; `incomplete` when none fails but some are unknown. */
export type ReviewVerdict = 'pass' | 'fail' | 'incomplete';

export interface ReviewEvaluation {
  catalogue: { name: string; version: number };
  verdict: ReviewVerdict;
  met: number;
  notMet: number;
  unknown: number;
  results: RequirementResult[];
}

export interface ReviewInput {
  answers: Readonly<Record<string, Answer>>;
  evidence: Readonly<Record<string, string>>;
  /** The categories the vendor receives: some requirements apply only to some. */
  categories: readonly Category[];
}

/** Judges every requirement of a catalogue against a vendor's answers, each with its reason. */
export function evaluateReview(catalogue: RequirementCatalogue, input: ReviewInput): ReviewEvaluation {
  const results = catalogue.requirements.map((requirement) => judge(requirement, input));
  const count = (outcome: RequirementOutcome) =>
    results.filter((result) => result.outcome === outcome).length;
  const [met, notMet, unknown] = [count('met'), count('not_met'), count('unknown')];
  return {
    catalogue: { name: catalogue.name, version: catalogue.version },
    verdict: notMet > 0 ? 'fail' : unknown > 0 ? 'incomplete' : 'pass',
    met,
    notMet,
    unknown,
    results,
  };
}

function judge(requirement: Requirement, input: ReviewInput): RequirementResult {
  const result = (outcome: RequirementOutcome, reason: string): RequirementResult => ({
    id: requirement.id,
    title: requirement.title,
    outcome,
    reason,
  });
  if (
    requirement.categories.length > 0 &&
    !requirement.categories.some((category) => input.categories.includes(category))
  ) {
    return result('not_applicable', `applies only to vendors receiving ${requirement.categories.join(', ')}`);
  }
  const answer = Object.hasOwn(input.answers, requirement.id) ? input.answers[requirement.id] : undefined;
  const wanted = describeCheck(requirement.check);
  if (answer === undefined) return result('unknown', `not answered (wanted: ${wanted})`);
  const verdict = check(requirement, answer);
  if (verdict.outcome !== 'met') return result(verdict.outcome, verdict.reason);
  if (requirement.evidenceRequired && !Object.hasOwn(input.evidence, requirement.id)) {
    return result('unknown', `answered ${show(answer)} without the evidence link this requirement needs`);
  }
  return result('met', verdict.reason);
}

function check(requirement: Requirement, answer: Answer): { outcome: RequirementOutcome; reason: string } {
  const rule = requirement.check;
  const wanted = describeCheck(rule);
  const met = (ok: boolean) => ({
    outcome: ok ? ('met' as const) : ('not_met' as const),
    reason: `answered ${show(answer)}, wanted ${wanted}`,
  });
  switch (rule.kind) {
    case 'yes':
      if (typeof answer !== 'boolean') return unreadable(answer, 'true or false');
      return met(answer);
    case 'one_of':
      if (typeof answer !== 'string' || !rule.options.includes(answer)) {
        return unreadable(answer, `one of ${rule.options.join(', ')}`);
      }
      return met(rule.accept.includes(answer));
    case 'at_most':
    case 'at_least':
      if (typeof answer !== 'number' || !Number.isFinite(answer))
        return unreadable(answer, `a number of ${rule.unit}`);
      return met(rule.kind === 'at_most' ? answer <= rule.limit : answer >= rule.limit);
  }
}

function unreadable(answer: Answer, expected: string) {
  return { outcome: 'unknown' as const, reason: `answer ${show(answer)} is not ${expected}` };
}

function show(answer: Answer): string {
  return typeof answer === 'string' ? `"${answer}"` : String(answer);
}

/** Requirements met under one evaluation and not under another: what raising a catalogue broke. */
export function newlyFailing(before: ReviewEvaluation, after: ReviewEvaluation): RequirementResult[] {
  const metBefore = new Set(before.results.filter((r) => r.outcome === 'met').map((r) => r.id));
  return after.results.filter((result) => result.outcome === 'not_met' && metBefore.has(result.id));
}
