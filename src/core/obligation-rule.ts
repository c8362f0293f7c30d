import type { Category } from './categories.js';
import type { JurisdictionId } from './jurisdiction-of.js';

/**
 * Breach-notification law as data. A rule book is one dated version of every jurisdiction's rule;
 * the engine uses the book in effect at the incident's awareness time. Sentences are written so a
 * responder can read them aloud; each ends with the rule's citation when the engine reports it.
 */
export interface RuleBook {
  /** The date the book takes effect, `YYYY-MM-DD`; also its version. */
  version: string;
  effectiveFrom: string;
  /** What changed from the previous book, in one line. */
  changes: string;
  rules: JurisdictionRule[];
}

export interface JurisdictionRule {
  jurisdiction: JurisdictionId;
  name: string;
  citation: string;
  /** Where days are counted: an IANA zone, or `company` where the authority follows the company. */
  timeZone: string;
  /**
   * Who counts as affected: a person whose exposed categories satisfy this. Everyone else located
   * in the jurisdiction is a resident the law does not reach for this breach.
   */
  personalData: CategoryCondition;
  /** Plain words for `personalData`, for the reason when it is not met. */
  personalDataMeans: string;
  duties: Duty[];
  /** What the notice or report must contain. */
  checklist: string[];
  /**
   * The template layout the law prescribes for the notice to individuals (its title and headings),
   * used for the affected people located here whenever that notice is required.
   */
  noticeLayout?: string;
}

/** Holds when any listed category is exposed, or every listed condition holds. */
export type CategoryCondition =
  { any: Category[] } | { all: CategoryCondition[] } | { either: CategoryCondition[] };

export type Recipient =
  'authority' | 'individuals' | 'attorney_general' | 'state_agencies' | 'credit_bureaus' | 'record';

export type ObligationStatus = 'required' | 'judgement_call' | 'not_required';

/** One party to tell (or a record to keep) and when. The first clause that holds decides. */
export interface Duty {
  recipient: Recipient;
  /** Who exactly, e.g. "Information Commissioner's Office (ICO)". */
  to: string;
  clauses: Clause[];
  /** Status and reason when no clause holds. */
  otherwise: { status: ObligationStatus; because: string };
  deadline: DeadlineSpec;
}

/** A clause holds when every condition given holds; absent conditions do not matter. */
export interface Clause {
  status: ObligationStatus;
  because: string;
  /** Over the union of the affected people's categories. */
  exposed?: CategoryCondition;
  /** The data was taken by someone without authorization (an attacker), not merely disclosed. */
  unauthorized?: boolean;
  /** The exposed data was encrypted and the key was not exposed. */
  encrypted?: boolean;
  /** More than this many affected people. */
  affectedOver?: number;
  /** At least this many affected people. */
  affectedAtLeast?: number;
  /** A deadline of its own instead of the duty's. */
  deadline?: DeadlineSpec;
}

/**
 * When a duty is due, counted from the awareness time. Calendar and business days end at the end
 * of the last day in the rule's time zone; business days skip Saturdays and Sundays but not public
 * holidays, so the date shown is never later than the legal one.
 */
export type DeadlineSpec =
  | { kind: 'hours'; hours: number; text: string }
  | { kind: 'calendar_days'; days: number; text: string }
  | { kind: 'business_days'; days: number; text: string }
  /** "Without undue delay", "as soon as feasible", "after notifying residents": no date. */
  | { kind: 'no_date'; text: string };
