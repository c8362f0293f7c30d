import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../core/errors.js';
import {
  buildTemplateLibrary,
  formatProblem,
  TEMPLATE_FILES,
  type TemplateFolder,
  type TemplateLibrary,
} from '../core/template-library.js';
import type { TemplateProblem } from '../core/template-language.js';

/** The templates shipped with the package, found from this file so any working directory works. */
export function shippedTemplatesDir(): string {
  return fileURLToPath(new URL('../../templates', import.meta.url));
}

/** Reads and checks a templates folder; the first problem is a UserError naming file and line. */
export function loadTemplates(root: string = shippedTemplatesDir()): TemplateLibrary {
  const { library, problems } = buildTemplateLibrary(readTemplateFolder(root));
  const [first] = problems;
  if (library === null || first !== undefined) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more: run notices lint)` : '';
    throw new UserError(`template problem: ${formatProblem(first!)}${more}`);
  }
  return library;
}

/** Every problem of a templates folder, for `notices lint`. */
export function lintTemplates(root: string = shippedTemplatesDir()): TemplateProblem[] {
  return buildTemplateLibrary(readTemplateFolder(root)).problems;
}

/** `<root>/<layout>/<locale>/{subject.txt,text.txt,html.html,labels.txt}`; absent files are left for the checks to report. */
export function readTemplateFolder(root: string): TemplateFolder {
  const locales: TemplateFolder['locales'][number][] = [];
  for (const layout of subfolders(root)) {
    for (const locale of subfolders(join(root, layout))) {
      const dir = join(root, layout, locale);
      const present = new Set(entries(dir).map((entry) => entry.name));
      const files = new Map<string, string>();
      for (const name of Object.values(TEMPLATE_FILES)) {
        if (present.has(name)) files.set(name, readText(join(dir, name)));
      }
      locales.push({ layout, locale, dir, files });
    }
  }
  return { root, locales };
}

function subfolders(dir: string): string[] {
  return entries(dir)
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
}

function entries(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    throw new UserError(`cannot read the templates folder ${dir}: ${reason(error)}`, { file: dir });
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read template ${file}: ${reason(error)}`, { file });
  }
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ?? (error instanceof Error ? error.message : String(error));
}
