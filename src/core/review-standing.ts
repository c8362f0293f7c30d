import type { Category } from './categories.js';
import type { RequirementCatalogue } from './requirement-catalogue.js';
import type { Answer } from './review-answers.js';
import {
  evaluateReview,
  newlyFailing,
  type RequirementResult,
  type ReviewVerdict,
} from './review-evaluation.js';
import { nextReviewDue, type VendorRisk } from './vendor-risk.js';
import { needsReviews } from './vendor-status.js';

/** A stored review as the standing needs it: its catalogue and answers kept whole. */
export interface StoredReview {
  id: string;
  reviewedAt: string;
  catalogue: RequirementCatalogue;
  answers: Readonly<Record<string, Answer>>;
  evidence: Readonly<Record<string, string>>;
  verdict: ReviewVerdict;
  notMet: number;
  unknown: number;
}

export interface OpenFinding {
  id: string;
  title: string;
  severity: string;
  due: string;
  requirement: string | null;
}

/** Where one vendor stands with its reviews; `problems` says in words why it needs attention. */
export interface ReviewStanding {
  vendor: { name: string; status: string };
  risk: { tier: VendorRisk['tier']; score: number; cadenceMonths: number };
  lastReview: {
    id: string;
    reviewedAt: string;
    catalogue: string;
    verdict: ReviewVerdict;
    notMet: number;
    unknown: number;
  } | null;
  nextDue: string | null;
  overdue: boolean;
  /** The last review's answers judged against the newest version of its catalogue, when newer. */
  newer: { catalogue: string; verdict: ReviewVerdict; nowFailing: RequirementResult[] } | null;
  overdueFindings: OpenFinding[];
  problems: string[];
}

export interface StandingInput {
  now: string;
  vendor: { name: string; status: string; categories: readonly Category[] };
  risk: VendorRisk;
  review: StoredReview | null;
  /** Every catalogue known: the newest of the review's name and a higher version re-judges it. */
  catalogues: readonly RequirementCatalogue[];
  /** Open findings of this vendor past their due date. */
  overdueFindings: OpenFinding[];
}

/** A vendor's review standing: next due date by the cadence of its risk today, and what is wrong. */
export function reviewStanding(input: StandingInput): ReviewStanding {
  const { review, risk } = input;
  const nextDue = review ? nextReviewDue(review.reviewedAt, risk.cadenceMonths) : null;
  const newest = review ? newestVersion(input.catalogues, review.catalogue) : null;
  const standing: ReviewStanding = {
    vendor: { name: input.vendor.name, status: input.vendor.status },
    risk: { tier: risk.tier, score: risk.score, cadenceMonths: risk.cadenceMonths },
    lastReview: review && {
      id: review.id,
      reviewedAt: review.reviewedAt,
      catalogue: `${review.catalogue.name} v${review.catalogue.version}`,
      verdict: review.verdict,
      notMet: review.notMet,
      unknown: review.unknown,
    },
    nextDue,
    overdue: needsReviews(input.vendor.status) && (nextDue === null || nextDue < input.now),
    newer: review && newest ? rejudge(review, newest, input.vendor.categories) : null,
    overdueFindings: input.overdueFindings,
    problems: [],
  };
  standing.problems = problemsOf(standing);
  return standing;
}

function newestVersion(
  catalogues: readonly RequirementCatalogue[],
  of: RequirementCatalogue,
): RequirementCatalogue | null {
  const newer = catalogues.filter((c) => c.name === of.name && c.version > of.version);
  return newer.reduce<RequirementCatalogue | null>(
    (best, c) => (best && best.version >= c.version ? best : c),
    null,
  );
}

function rejudge(review: StoredReview, catalogue: RequirementCatalogue, categories: readonly Category[]) {
  const input = { answers: review.answers, evidence: review.evidence, categories };
  const after = evaluateReview(catalogue, input);
  return {
    catalogue: `${catalogue.name} v${catalogue.version}`,
    verdict: after.verdict,
    nowFailing: newlyFailing(evaluateReview(review.catalogue, input), after),
  };
}

function problemsOf(standing: ReviewStanding): string[] {
  const problems: string[] = [];
  const review = standing.lastReview;
  if (review === null && standing.overdue) problems.push('never reviewed');
  else if (standing.overdue) problems.push(`review overdue since ${standing.nextDue!.slice(0, 10)}`);
  if (review?.verdict === 'fail') {
    problems.push(`last review failed ${review.notMet} requirement(s) of ${review.catalogue}`);
  }
  if (standing.newer && standing.newer.nowFailing.length > 0) {
    const ids = standing.newer.nowFailing.map((result) => result.id).join(', ');
    problems.push(`falls short of ${standing.newer.catalogue}: ${ids}`);
  }
  for (const finding of standing.overdueFindings) {
    problems.push(
      `${finding.severity} finding ${finding.id} "${finding.title}" overdue since ${finding.due.slice(0, 10)}`,
    );
  }
  return problems;
}
