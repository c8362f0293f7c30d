import { categoriesOf, categoryBit, type Category } from './categories.js';
import { deadlineOf, type Deadline } from './deadline.js';
import { JURISDICTION_IDS, jurisdictionOf, type JurisdictionId } from './jurisdiction-of.js';
import type {
  CategoryCondition,
  Clause,
  Duty,
  JurisdictionRule,
  ObligationStatus,
  Recipient,
  RuleBook,
} from './obligation-rule.js';

/** What the incident's responders know, beyond who is where. */
export interface ObligationFacts {
  /** When the company learned of the breach: every deadline counts from it. */
  awareAt: Date;
  /** Taken by someone without authorization (the default), not merely disclosed by mistake. */
  unauthorized: boolean;
  /** The exposed data was encrypted and the key was not exposed. */
  encrypted: boolean;
  /** The company's IANA time zone, for rules whose authority follows the company (GDPR). */
  timeZone: string;
}

/** People of one place with one exposure, as the database aggregates them. */
export interface PlaceGroup {
  country: string | null;
  region: string | null;
  categoryMask: number;
  people: number;
}

export interface Notification {
  recipient: Recipient;
  to: string;
  status: ObligationStatus;
  because: string;
  deadline: Deadline | null;
}

export interface Obligation {
  jurisdiction: JurisdictionId;
  name: string;
  citation: string;
  status: ObligationStatus;
  /** People located in the jurisdiction. */
  residents: number;
  /** Those of them whose exposed categories the law reaches: thresholds count these. */
  affected: number;
  /** Categories exposed of the affected people. */
  categories: Category[];
  reasons: string[];
  notifications: Notification[];
  /** The earliest deadline of what is required (else of the judgement calls). */
  deadline: Deadline | null;
  checklist: string[];
}

export interface ObligationAssessment {
  ruleVersion: string;
  ruleChanges: string;
  awareAt: string;
  facts: { unauthorized: boolean; encrypted: boolean; timeZone: string };
  people: {
    total: number;
    /** In a jurisdiction the rules cover. */
    covered: number;
    /** No country known, from the records or the directory. */
    unknownLocation: number;
    /** In the United States with no state known: possibly in a covered state. */
    usStateUnknown: number;
    /** Located somewhere the rules do not cover. */
    elsewhere: number;
  };
  obligations: Obligation[];
  warnings: string[];
}

const STRENGTH: Readonly<Record<ObligationStatus, number>> = {
  required: 2,
  judgement_call: 1,
  not_required: 0,
};

/** The rule book in effect on the awareness date (UTC); the earliest, with a warning, before all. */
export function ruleBookAt(
  books: readonly RuleBook[],
  awareAt: Date,
): { book: RuleBook; warning: string | null } {
  const day = awareAt.toISOString().slice(0, 10);
  const sorted = [...books].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  const inEffect = sorted.filter((book) => book.effectiveFrom <= day).pop();
  if (inEffect !== undefined) return { book: inEffect, warning: null };
  const earliest = sorted[0];
  if (earliest === undefined) throw new Error('no obligation rule books');
  return {
    book: earliest,
    warning: `No rules are held for ${day}; the earliest version (${earliest.version}) is used.`,
  };
}

/**
 * Per jurisdiction: required, not required or a judgement call, with the reasons, who must be told
 * and by when. Pure: the same facts and groups give the same answer. Decision support, not legal
 * advice.
 */
export function assessObligations(
  books: readonly RuleBook[],
  facts: ObligationFacts,
  groups: readonly PlaceGroup[],
): ObligationAssessment {
  const { book, warning } = ruleBookAt(books, facts.awareAt);
  const byJurisdiction = new Map<JurisdictionId, PlaceGroup[]>();
  const people = { total: 0, covered: 0, unknownLocation: 0, usStateUnknown: 0, elsewhere: 0 };
  for (const group of groups) {
    people.total += group.people;
    const jurisdiction = jurisdictionOf(group.country, group.region);
    if (jurisdiction !== null) {
      people.covered += group.people;
      byJurisdiction.set(jurisdiction, [...(byJurisdiction.get(jurisdiction) ?? []), group]);
    } else if (group.country === null) people.unknownLocation += group.people;
    else if (group.country === 'US' && group.region === null) people.usStateUnknown += group.people;
    else people.elsewhere += group.people;
  }
  const rules = [...book.rules].sort(
    (a, b) => JURISDICTION_IDS.indexOf(a.jurisdiction) - JURISDICTION_IDS.indexOf(b.jurisdiction),
  );
  const warnings = [warning, ...locationWarnings(people)].filter((text): text is string => text !== null);
  return {
    ruleVersion: book.version,
    ruleChanges: book.changes,
    awareAt: facts.awareAt.toISOString(),
    facts: { unauthorized: facts.unauthorized, encrypted: facts.encrypted, timeZone: facts.timeZone },
    people,
    obligations: rules.map((rule) => assessRule(rule, facts, byJurisdiction.get(rule.jurisdiction) ?? [])),
    warnings,
  };
}

function locationWarnings(people: ObligationAssessment['people']): string[] {
  const warnings: string[] = [];
  if (people.total === 0)
    warnings.push('The incident has no people yet: import its dataset before relying on this assessment.');
  if (people.unknownLocation > 0)
    warnings.push(
      `${people.unknownLocation} people have no known location: they may live in any of these jurisdictions.`,
    );
  if (people.usStateUnknown > 0)
    warnings.push(`${people.usStateUnknown} people are in the United States with no known state.`);
  return warnings;
}

function assessRule(
  rule: JurisdictionRule,
  facts: ObligationFacts,
  groups: readonly PlaceGroup[],
): Obligation {
  const residents = groups.reduce((sum, group) => sum + group.people, 0);
  const reached = groups.filter((group) => holds(rule.personalData, group.categoryMask));
  const affected = reached.reduce((sum, group) => sum + group.people, 0);
  const mask = reached.reduce((union, group) => union | group.categoryMask, 0);
  const base = {
    jurisdiction: rule.jurisdiction,
    name: rule.name,
    citation: rule.citation,
    residents,
    affected,
    categories: categoriesOf(mask),
    checklist: rule.checklist,
  };
  if (affected === 0) {
    const exposed = categoriesOf(groups.reduce((union, group) => union | group.categoryMask, 0));
    const reason =
      residents === 0
        ? `Nobody affected is located here (${rule.citation}).`
        : `${residents} people are located here, but what was exposed of them (${exposed.join(', ')}) is not personal information under this law, which needs ${rule.personalDataMeans} (${rule.citation}).`;
    return { ...base, status: 'not_required', reasons: [reason], notifications: [], deadline: null };
  }
  const timeZone = rule.timeZone === 'company' ? facts.timeZone : rule.timeZone;
  const notifications = rule.duties.map((duty) => notify(duty, { facts, mask, affected, timeZone }));
  const status = notifications.reduce<ObligationStatus>(
    (strongest, n) => (STRENGTH[n.status] > STRENGTH[strongest] ? n.status : strongest),
    'not_required',
  );
  const reasons = [
    `${affected} of ${residents} people located here are affected: ${base.categories.join(', ')} exposed (${rule.citation}).`,
    ...notifications.map((n) => `${n.to}: ${label(n.status)}. ${n.because} (${rule.citation}).`),
  ];
  return { ...base, status, reasons, notifications, deadline: earliestDeadline(notifications) };
}

interface DutyContext {
  facts: ObligationFacts;
  mask: number;
  affected: number;
  timeZone: string;
}

function notify(duty: Duty, context: DutyContext): Notification {
  const clause = duty.clauses.find((candidate) => applies(candidate, context));
  const status = clause?.status ?? duty.otherwise.status;
  const because = clause?.because ?? duty.otherwise.because;
  const spec = clause?.deadline ?? duty.deadline;
  return {
    recipient: duty.recipient,
    to: duty.to,
    status,
    because,
    deadline: status === 'not_required' ? null : deadlineOf(spec, context.facts.awareAt, context.timeZone),
  };
}

function applies(clause: Clause, { facts, mask, affected }: DutyContext): boolean {
  if (clause.unauthorized !== undefined && clause.unauthorized !== facts.unauthorized) return false;
  if (clause.encrypted !== undefined && clause.encrypted !== facts.encrypted) return false;
  if (clause.exposed !== undefined && !holds(clause.exposed, mask)) return false;
  if (clause.affectedOver !== undefined && !(affected > clause.affectedOver)) return false;
  if (clause.affectedAtLeast !== undefined && !(affected >= clause.affectedAtLeast)) return false;
  return true;
}

/** Whether a category condition holds for an exposure mask. */
export function holds(condition: CategoryCondition, mask: number): boolean {
  if ('any' in condition) return condition.any.some((category) => (mask & categoryBit(category)) !== 0);
  if ('all' in condition) return condition.all.every((inner) => holds(inner, mask));
  return condition.either.some((inner) => holds(inner, mask));
}

/** The earliest dated deadline of the strongest duties; an undated one when none has a date. */
function earliestDeadline(notifications: readonly Notification[]): Deadline | null {
  for (const status of ['required', 'judgement_call'] as const) {
    const due = notifications.filter((n) => n.status === status && n.recipient !== 'record');
    const dated = due
      .map((n) => n.deadline)
      .filter((d): d is Deadline & { at: string } => d !== null && d.at !== null)
      .sort((a, b) => a.at.localeCompare(b.at));
    const first = dated[0] ?? due[0]?.deadline;
    if (first) return first;
  }
  return null;
}

function label(status: ObligationStatus): string {
  return status === 'judgement_call' ? 'judgement call' : status.replace('_', ' ');
}
