import { printableName } from './escape.js';
import { UserError } from './errors.js';
import type { RequirementCatalogue } from './requirement-catalogue.js';

export type Answer = boolean | number | string;

export const FINDING_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

export interface Finding {
  requirement: string | null;
  severity: FindingSeverity;
  title: string;
  /** ISO-8601 instant; a bare date is midnight UTC. */
  due: string;
}

/** What a vendor answered, keyed by requirement id, with evidence links and the reviewer's findings. */
export interface ReviewAnswers {
  answers: Record<string, Answer>;
  evidence: Record<string, string>;
  findings: Finding[];
}

/**
 * Parses an answers file: `{"answers": {id: value}, "evidence": {id: "https://…"}, "findings":
 * [{"requirement", "severity", "title", "due"}]}`. Ids must name requirements of the catalogue, so a
 * typo is an error rather than a silently unanswered requirement.
 */
export function parseReviewAnswers(
  text: string,
  source: string,
  catalogue: RequirementCatalogue,
): ReviewAnswers {
  const problem = (field: string, message: string): never => {
    throw new UserError(`answers ${source}: ${field} ${message}`, { file: source, field });
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`answers ${source} is not valid JSON: ${(error as Error).message}`, { file: source });
  }
  if (!isObject(parsed)) return problem('(top level)', 'must be an object');
  const ids = new Set(catalogue.requirements.map((requirement) => requirement.id));
  const known = (field: string, id: string) => {
    if (!ids.has(id)) {
      problem(field, `names no requirement of catalogue ${catalogue.name} v${catalogue.version}`);
    }
  };
  const answers: Record<string, Answer> = Object.create(null) as Record<string, Answer>;
  const rawAnswers = parsed.answers ?? {};
  if (!isObject(rawAnswers)) problem('answers', 'must be an object of requirement id → answer');
  for (const [id, value] of Object.entries(rawAnswers as Record<string, unknown>)) {
    const field = `answers.${printableName(id)}`;
    known(field, id);
    if (typeof value !== 'boolean' && typeof value !== 'number' && typeof value !== 'string') {
      problem(field, 'must be true/false, a number or a text');
    }
    answers[id] = value as Answer;
  }
  const evidence: Record<string, string> = Object.create(null) as Record<string, string>;
  const rawEvidence = parsed.evidence ?? {};
  if (!isObject(rawEvidence)) problem('evidence', 'must be an object of requirement id → link');
  for (const [id, link] of Object.entries(rawEvidence as Record<string, unknown>)) {
    const field = `evidence.${printableName(id)}`;
    known(field, id);
    if (typeof link !== 'string' || !isWebLink(link)) problem(field, 'must be an http(s) link');
    evidence[id] = (link as string).trim();
  }
  const rawFindings = parsed.findings ?? [];
  if (!Array.isArray(rawFindings)) problem('findings', 'must be a list');
  const findings = (rawFindings as unknown[]).map((item, index) => {
    const at = `findings[${index}]`;
    if (!isObject(item)) return problem(at, 'must be an object');
    const requirement = item.requirement ?? null;
    if (requirement !== null) {
      if (typeof requirement !== 'string') problem(`${at}.requirement`, 'must be a requirement id');
      known(`${at}.requirement`, requirement as string);
    }
    const severity = item.severity;
    if (typeof severity !== 'string' || !(FINDING_SEVERITIES as readonly string[]).includes(severity)) {
      problem(`${at}.severity`, `must be one of ${FINDING_SEVERITIES.join(', ')}`);
    }
    if (typeof item.title !== 'string' || item.title.trim() === '')
      problem(`${at}.title`, 'must be a non-empty text');
    const due = typeof item.due === 'string' ? parseDay(item.due) : null;
    if (due === null) problem(`${at}.due`, 'must be a date YYYY-MM-DD or an ISO time with Z');
    return {
      requirement: requirement as string | null,
      severity: severity as FindingSeverity,
      title: (item.title as string).trim(),
      due: due!,
    };
  });
  return { answers, evidence, findings };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isWebLink(text: string): boolean {
  try {
    const url = new URL(text.trim());
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function parseDay(text: string): string | null {
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) {
    const time = Date.parse(`${trimmed}T00:00:00Z`);
    const date = new Date(time);
    return Number.isNaN(time) || date.toISOString().slice(0, 10) !== trimmed ? null : date.toISOString();
  }
  if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(trimmed)) return null;
  const time = Date.parse(trimmed);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
