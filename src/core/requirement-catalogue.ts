import { CATEGORIES, isCategory, type Category } from './categories.js';
import { printableName } from './escape.js';
import { UserError } from './errors.js';

/** How an answer is judged. */
export type RequirementCheck =
  | { kind: 'yes' }
  | { kind: 'one_of'; options: string[]; accept: string[] }
  | { kind: 'at_most'; limit: number; unit: string }
  | { kind: 'at_least'; limit: number; unit: string };

export interface Requirement {
  /** Stable across versions: a newer version raising a requirement keeps its id. */
  id: string;
  title: string;
  check: RequirementCheck;
  /** An answer without an evidence link leaves the requirement unknown. */
  evidenceRequired: boolean;
  /** Applies only to vendors receiving one of these categories; empty: to every vendor. */
  categories: Category[];
}

export interface RequirementCatalogue {
  /** Versions of one catalogue share its name; a higher version supersedes a lower one. */
  name: string;
  version: number;
  published: string;
  requirements: Requirement[];
}

const ID = /^[a-z][a-z0-9_]{0,63}$/;
const KINDS = ['yes', 'one_of', 'at_most', 'at_least'] as const;

/** Parses and checks a catalogue file's text; every error names `source` and the field. */
export function parseRequirementCatalogue(text: string, source: string): RequirementCatalogue {
  const problem = (field: string, message: string): never => {
    throw new UserError(`catalogue ${source}: ${field} ${message}`, { file: source, field });
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`catalogue ${source} is not valid JSON: ${(error as Error).message}`, {
      file: source,
    });
  }
  const root = objectAt(parsed, '(top level)', problem);
  onlyFields(root, ['name', 'version', 'published', 'description', 'requirements'], '', problem);
  const name = stringAt(root.name, 'name', problem);
  if (!ID.test(name.replace(/-/g, '_'))) problem('name', 'must be lower-case letters, digits, - or _');
  const version = root.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    problem('version', 'must be a whole number from 1');
  }
  const published = stringAt(root.published, 'published', problem);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(published) || Number.isNaN(Date.parse(published))) {
    problem('published', 'must be a date YYYY-MM-DD');
  }
  if (!Array.isArray(root.requirements) || root.requirements.length === 0) {
    problem('requirements', 'must be a non-empty list');
  }
  const seen = new Set<string>();
  const requirements = (root.requirements as unknown[]).map((item, index) => {
    const at = `requirements[${index}]`;
    const requirement = parseRequirement(objectAt(item, at, problem), at, problem);
    if (seen.has(requirement.id)) problem(`${at}.id`, `"${requirement.id}" appears twice`);
    seen.add(requirement.id);
    return requirement;
  });
  return { name, version: version as number, published, requirements };
}

type Problem = (field: string, message: string) => never;

function parseRequirement(raw: Record<string, unknown>, at: string, problem: Problem): Requirement {
  onlyFields(raw, ['id', 'title', 'check', 'evidenceRequired', 'categories'], `${at}.`, problem);
  const id = stringAt(raw.id, `${at}.id`, problem);
  if (!ID.test(id)) problem(`${at}.id`, 'must be lower-case letters, digits and _, starting with a letter');
  const title = stringAt(raw.title, `${at}.title`, problem);
  const evidence = raw.evidenceRequired ?? false;
  if (typeof evidence !== 'boolean') problem(`${at}.evidenceRequired`, 'must be true or false');
  const categories = raw.categories ?? [];
  if (!Array.isArray(categories)) problem(`${at}.categories`, 'must be a list of categories');
  for (const [index, category] of (categories as unknown[]).entries()) {
    if (typeof category !== 'string' || !isCategory(category)) {
      problem(`${at}.categories[${index}]`, `is not one of ${CATEGORIES.join(', ')}`);
    }
  }
  return {
    id,
    title,
    check: parseCheck(objectAt(raw.check, `${at}.check`, problem), `${at}.check`, problem),
    evidenceRequired: evidence,
    categories: categories as Category[],
  };
}

function parseCheck(raw: Record<string, unknown>, at: string, problem: Problem): RequirementCheck {
  const kind = raw.kind;
  switch (kind) {
    case 'yes':
      onlyFields(raw, ['kind'], `${at}.`, problem);
      return { kind };
    case 'one_of': {
      onlyFields(raw, ['kind', 'options', 'accept'], `${at}.`, problem);
      const options = stringListAt(raw.options, `${at}.options`, problem);
      const accept = stringListAt(raw.accept, `${at}.accept`, problem);
      const stray = accept.find((value) => !options.includes(value));
      if (stray !== undefined)
        problem(`${at}.accept`, `has "${printableName(stray)}", which is not in options`);
      return { kind, options, accept };
    }
    case 'at_most':
    case 'at_least': {
      onlyFields(raw, ['kind', 'limit', 'unit'], `${at}.`, problem);
      if (typeof raw.limit !== 'number' || !Number.isFinite(raw.limit) || raw.limit < 0) {
        problem(`${at}.limit`, 'must be a number from 0');
      }
      return { kind, limit: raw.limit, unit: stringAt(raw.unit, `${at}.unit`, problem) };
    }
    default:
      return problem(`${at}.kind`, `must be one of ${KINDS.join(', ')}`);
  }
}

/** A misspelt field would silently change what a requirement means, so unknown fields are errors. */
function onlyFields(raw: Record<string, unknown>, allowed: string[], prefix: string, problem: Problem): void {
  const stray = Object.keys(raw).find((key) => !allowed.includes(key));
  if (stray !== undefined)
    problem(`${prefix}${printableName(stray)}`, `is not a field (expected ${allowed.join(', ')})`);
}

function objectAt(value: unknown, field: string, problem: Problem): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    problem(field, 'must be an object');
  return value as Record<string, unknown>;
}

function stringAt(value: unknown, field: string, problem: Problem): string {
  if (typeof value !== 'string' || value.trim() === '') problem(field, 'must be a non-empty text');
  return value.trim();
}

function stringListAt(value: unknown, field: string, problem: Problem): string[] {
  if (!Array.isArray(value) || value.length === 0) problem(field, 'must be a non-empty list of texts');
  return (value as unknown[]).map((item, index) => stringAt(item, `${field}[${index}]`, problem));
}

/** What a requirement asks, in words: `answer at most 72 hours`, `answer one of soc2_type2, iso27001`. */
export function describeCheck(check: RequirementCheck): string {
  switch (check.kind) {
    case 'yes':
      return 'yes';
    case 'one_of':
      return `one of ${check.accept.join(', ')}`;
    case 'at_most':
      return `at most ${check.limit} ${check.unit}`;
    case 'at_least':
      return `at least ${check.limit} ${check.unit}`;
  }
}
