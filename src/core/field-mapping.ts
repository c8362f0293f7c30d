import { CATEGORIES, isCategory } from './categories.js';
import type { Category } from './categories.js';
import { printableName } from './escape.js';
import { UserError } from './errors.js';

/** Field name (or dotted path, as a dataset's fields are reported) → category. */
export type FieldMapping = ReadonlyMap<string, Category>;

const VALID = { valid: CATEGORIES.join(', ') };

/** Parses `field=category,other.field=category` from `--map`; the last `=` splits an entry. */
export function parseMapOption(text: string): FieldMapping {
  const mapping = new Map<string, Category>();
  for (const entry of text.split(',')) {
    if (entry.trim() === '') continue;
    const split = entry.lastIndexOf('=');
    const field = entry.slice(0, Math.max(split, 0)).trim();
    const category = entry.slice(split + 1).trim();
    if (split === -1 || field === '' || category === '') {
      throw new UserError(`--map: "${printableName(entry.trim())}" is not field=category`);
    }
    mapping.set(field, checkedCategory(category, `--map: field "${printableName(field)}"`));
  }
  return mapping;
}

/** Parses the text of a mapping file: a JSON object of `"field": "category"`; `source` names it in errors. */
export function parseMappingJson(text: string, source: string): FieldMapping {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UserError(`mapping file ${source} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UserError(`mapping file ${source} must hold a JSON object of "field": "category"`);
  }
  const mapping = new Map<string, Category>();
  for (const [field, category] of Object.entries(parsed)) {
    const where = `mapping file ${source}: field "${printableName(field)}"`;
    if (field.trim() === '') throw new UserError(`mapping file ${source}: a field name is empty`);
    if (typeof category !== 'string') throw new UserError(`${where} must map to a category name`, VALID);
    mapping.set(field.trim(), checkedCategory(category.trim(), where));
  }
  return mapping;
}

function checkedCategory(name: string, where: string): Category {
  if (isCategory(name)) return name;
  throw new UserError(`${where} has unknown category "${printableName(name)}"`, VALID);
}
