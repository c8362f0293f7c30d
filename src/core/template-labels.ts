import { CATEGORIES, isCategory, type Category } from './categories.js';
import type { TemplateProblem } from './template-language.js';

/** How a locale names each category: to the reader about their own data, and about a member. */
export type CategoryLabels = Readonly<Record<Category, { readonly own: string; readonly member: string }>>;

/**
 * Parses a labels file: one `category: Label for the reader | label for a member` a line, `#`
 * comments. Every category must be named exactly once.
 */
export function parseCategoryLabels(
  source: string,
  file: string,
): { labels: CategoryLabels | null; problems: TemplateProblem[] } {
  const problems: TemplateProblem[] = [];
  const labels: Partial<Record<Category, { own: string; member: string }>> = {};
  source.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const problem = (message: string) => problems.push({ file, line: index + 1, message });
    const match = /^([a-z_]+)\s*:\s*(.*?)\s*\|\s*(.*?)$/.exec(line);
    if (match === null) return problem('expected "category: Label for the reader | label for a member"');
    const [, name = '', own = '', member = ''] = match;
    if (!isCategory(name)) return problem(`unknown category "${name}"`);
    if (labels[name] !== undefined) return problem(`category "${name}" is labelled twice`);
    if (own === '' || member === '') return problem(`category "${name}" needs both labels`);
    labels[name] = { own, member };
  });
  const missing = CATEGORIES.filter((category) => labels[category] === undefined);
  if (missing.length > 0) problems.push({ file, line: 0, message: `no label for ${missing.join(', ')}` });
  return { labels: problems.length === 0 ? (labels as CategoryLabels) : null, problems };
}
