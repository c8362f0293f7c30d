import { UserError } from './errors.js';
import { parseCategoryLabels, type CategoryLabels } from './template-labels.js';
import {
  checkTemplate,
  isTemplateError,
  parseTemplate,
  type Template,
  type TemplateKind,
  type TemplateProblem,
  type TemplateSchema,
} from './template-language.js';
import { DEFAULT_LOCALE } from './template-locale.js';

export const DEFAULT_LAYOUT = 'default';
export const NOTICE_OF_DATA_BREACH = 'notice-of-data-breach';

/** The five headings of a "Notice of Data Breach", in the order the laws that ask for one list them. */
export const NOTICE_OF_DATA_BREACH_HEADINGS = [
  'What Happened',
  'What Information Was Involved',
  'What We Are Doing',
  'What You Can Do',
  'For More Information',
] as const;

export const TEMPLATE_FILES: Readonly<Record<TemplateKind | 'labels', string>> = {
  subject: 'subject.txt',
  text: 'text.txt',
  html: 'html.html',
  labels: 'labels.txt',
};

const category = { category: 'value' } as const;

/** Every name a notice template may use. */
export const NOTICE_VARIABLES: TemplateSchema = {
  locale: 'value',
  subject: 'value',
  company: 'value',
  contactEmail: 'value',
  contactUrl: 'value',
  contactUrlIsWeb: 'flag',
  verifyUrl: 'value',
  verifyUrlIsWeb: 'flag',
  vendor: 'value',
  title: 'value',
  awareDay: 'value',
  openedDay: 'value',
  greetingName: 'value',
  referenceCode: 'value',
  personal: 'flag',
  personalCategories: category,
  anyPersonalCategories: 'flag',
  personalOnly: 'flag',
  organizationsOnly: 'flag',
  personalAndOrganizations: 'flag',
  singleOrganization: 'value',
  severalOrganizations: 'flag',
  organizations: {
    id: 'value',
    name: 'value',
    impactedMembers: 'value',
    members: { label: 'value', categories: { category: 'value', first: 'flag' } },
    anyMembers: 'flag',
    identifiedOnlyById: 'flag',
    unlisted: 'value',
  },
  notExposed: category,
  anyNotExposed: 'flag',
  domains: { domain: 'value', first: 'flag' },
};

export interface NoticeTemplates {
  readonly locale: string;
  readonly subject: Template;
  readonly text: Template;
  readonly html: Template;
  readonly labels: CategoryLabels;
}

/** Layout name → locale → its templates. */
export interface TemplateLibrary {
  readonly layouts: ReadonlyMap<string, ReadonlyMap<string, NoticeTemplates>>;
}

/** A templates folder as read from disk: each `<layout>/<locale>/` folder with its files' text. */
export interface TemplateFolder {
  readonly root: string;
  readonly locales: readonly {
    readonly layout: string;
    readonly locale: string;
    readonly dir: string;
    readonly files: ReadonlyMap<string, string>;
  }[];
}

const LOCALE_NAME = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** Parses and checks every template of every layout and locale; the library is null when anything is wrong. */
export function buildTemplateLibrary(folder: TemplateFolder): {
  library: TemplateLibrary | null;
  problems: TemplateProblem[];
} {
  const problems: TemplateProblem[] = [];
  const layouts = new Map<string, Map<string, NoticeTemplates>>();
  for (const entry of folder.locales) {
    if (!LOCALE_NAME.test(entry.locale)) {
      problems.push({
        file: entry.dir,
        line: 0,
        message: `"${entry.locale}" is not a locale name such as en, de or pt-BR`,
      });
      continue;
    }
    const templates = localeTemplates(entry, problems);
    if (templates === null) continue;
    if (entry.layout === NOTICE_OF_DATA_BREACH && entry.locale.split('-')[0] === 'en') {
      problems.push(...missingHeadings(templates, entry.files));
    }
    const locales = layouts.get(entry.layout) ?? new Map<string, NoticeTemplates>();
    layouts.set(entry.layout, locales.set(entry.locale, templates));
  }
  const layoutNames = new Set(folder.locales.map((entry) => entry.layout));
  if (!layoutNames.has(DEFAULT_LAYOUT)) {
    problems.push({
      file: `${folder.root}/${DEFAULT_LAYOUT}`,
      line: 0,
      message: 'the default layout is missing',
    });
  }
  for (const layout of layoutNames) {
    if (!folder.locales.some((entry) => entry.layout === layout && entry.locale === DEFAULT_LOCALE)) {
      problems.push({
        file: `${folder.root}/${layout}/${DEFAULT_LOCALE}`,
        line: 0,
        message: `every layout needs the fallback locale ${DEFAULT_LOCALE}`,
      });
    }
  }
  return { library: problems.length === 0 ? { layouts } : null, problems };
}

function localeTemplates(
  entry: TemplateFolder['locales'][number],
  problems: TemplateProblem[],
): NoticeTemplates | null {
  const before = problems.length;
  const source = (name: string): string | null => {
    const text = entry.files.get(name);
    if (text === undefined) problems.push({ file: `${entry.dir}/${name}`, line: 0, message: 'missing file' });
    return text ?? null;
  };
  const part = (kind: TemplateKind): Template | null => {
    const text = source(TEMPLATE_FILES[kind]);
    if (text === null) return null;
    const file = `${entry.dir}/${TEMPLATE_FILES[kind]}`;
    try {
      const template = parseTemplate(text, file, kind);
      problems.push(...checkTemplate(template, NOTICE_VARIABLES));
      return template;
    } catch (error) {
      if (!isTemplateError(error)) throw error;
      problems.push(error.problem);
      return null;
    }
  };
  const [subject, text, html] = [part('subject'), part('text'), part('html')];
  const labelsSource = source(TEMPLATE_FILES.labels);
  const labels =
    labelsSource === null ? null : parseCategoryLabels(labelsSource, `${entry.dir}/${TEMPLATE_FILES.labels}`);
  if (labels !== null) problems.push(...labels.problems);
  if (problems.length > before || !subject || !text || !html || !labels?.labels) return null;
  return { locale: entry.locale, subject, text, html, labels: labels.labels };
}

function missingHeadings(templates: NoticeTemplates, files: ReadonlyMap<string, string>): TemplateProblem[] {
  return [templates.text, templates.html].flatMap((template) => {
    const source = files.get(TEMPLATE_FILES[template.kind]) ?? '';
    let from = 0;
    for (const heading of NOTICE_OF_DATA_BREACH_HEADINGS) {
      const at = source.indexOf(heading, from);
      if (at < 0) {
        return [
          {
            file: template.file,
            line: 0,
            message: `missing the heading "${heading}" (or not in the standard order)`,
          },
        ];
      }
      from = at + heading.length;
    }
    return [];
  });
}

/** The templates for a layout and an exact locale of it. */
export function noticeTemplates(library: TemplateLibrary, layout: string, locale: string): NoticeTemplates {
  const locales = library.layouts.get(layout);
  if (locales === undefined) {
    throw new UserError(`no template layout "${layout}"`, {
      layouts: [...library.layouts.keys()].join(', '),
    });
  }
  const templates = locales.get(locale) ?? locales.get(DEFAULT_LOCALE);
  if (templates === undefined) throw new UserError(`layout "${layout}" has no locale ${locale}`);
  return templates;
}

/** The locales a layout offers. */
export function layoutLocales(library: TemplateLibrary, layout: string): string[] {
  return [...(library.layouts.get(layout)?.keys() ?? [])];
}

/** One problem as one line: `file:line: message`, or `file: message` when it is about the whole file. */
export function formatProblem(problem: TemplateProblem): string {
  return problem.line > 0
    ? `${problem.file}:${problem.line}: ${problem.message}`
    : `${problem.file}: ${problem.message}`;
}
