import { CATEGORIES } from './categories.js';
import type { Category } from './categories.js';
import { UserError } from './errors.js';
import { headerSafe } from './escape.js';
import type { CategoryLabels } from './template-labels.js';
import { renderTemplate, type TemplateView } from './template-language.js';
import { DEFAULT_LAYOUT, noticeTemplates, type TemplateLibrary } from './template-library.js';
import { DEFAULT_LOCALE } from './template-locale.js';

export interface NoticeInput {
  company: {
    name: string;
    contactEmail: string;
    contactUrl: string | null;
    sendingDomains: readonly string[];
    verifyUrl: string | null;
  };
  incident: {
    vendorName: string;
    title: string;
    awareAt: string | null;
    openedAt: string;
    exposed: readonly Category[];
    notExposed: readonly Category[];
  };
  recipient: { address: string; name: string | null };
  /** Null when the recipient is not an impacted person. */
  personal: { categories: readonly Category[] } | null;
  /** Impacted organizations the recipient administers. */
  organizations: readonly {
    id: string;
    name: string;
    impactedMembers: number;
    members: readonly { label: string; categories: readonly Category[] }[];
  }[];
  referenceCode: string;
  /** The recipient's locale, one the library offers (see chooseLocale); default `en`. */
  locale?: string;
  /** The template layout, e.g. `notice-of-data-breach` where an obligation asks for it; default `default`. */
  layout?: string;
}

export interface NoticeContent {
  subject: string;
  text: string;
  html: string;
}

const MAX_LISTED_MEMBERS = 200;
const TEXT_WIDTH = 76;

/**
 * Renders one recipient's notice from the library's templates for the input's layout and locale.
 * Pure and deterministic: the same input and templates give the same bytes.
 */
export function renderNotice(input: NoticeInput, library: TemplateLibrary): NoticeContent {
  const templates = noticeTemplates(library, input.layout ?? DEFAULT_LAYOUT, input.locale ?? DEFAULT_LOCALE);
  const view = noticeView(input, templates.locale, templates.labels);
  const subject = renderTemplate(templates.subject, view);
  const withSubject = { ...view, subject };
  return {
    subject,
    text: layoutText(renderTemplate(templates.text, withSubject)),
    html: renderTemplate(templates.html, withSubject),
  };
}

/** What the templates see: every string already one clean line, categories in canonical order. */
function noticeView(input: NoticeInput, locale: string, labels: CategoryLabels): TemplateView {
  const { company, incident } = input;
  const personal = input.personal === null ? null : canonical(input.personal.categories);
  const count = new Intl.NumberFormat(locale);
  const organizations = input.organizations.map((organization) =>
    organizationView(organization, labels, count),
  );
  const domains = [...new Set(company.sendingDomains.map(headerSafe).filter((domain) => domain !== ''))];
  const referenceCode = headerSafe(input.referenceCode);
  if (personal === null && organizations.length === 0) {
    throw new UserError('A notice needs a personal section or at least one organization', {
      recipient: headerSafe(input.recipient.address),
    });
  }
  if (domains.length === 0) throw new UserError('A notice needs at least one official sending domain');
  if (referenceCode === '') throw new UserError('A notice needs a reference code');
  const contactUrl = headerSafe(company.contactUrl ?? '');
  const verifyUrl = headerSafe(company.verifyUrl ?? '');
  const own = (category: Category) => ({ category: labels[category].own });
  const notExposed = confirmedNotExposed(input, personal);
  return {
    locale,
    company: headerSafe(company.name),
    contactEmail: headerSafe(company.contactEmail),
    contactUrl,
    contactUrlIsWeb: isWebAddress(contactUrl),
    verifyUrl,
    verifyUrlIsWeb: isWebAddress(verifyUrl),
    vendor: headerSafe(incident.vendorName),
    title: headerSafe(incident.title),
    awareDay: incident.awareAt === null ? '' : utcDay(incident.awareAt),
    openedDay: utcDay(incident.openedAt),
    greetingName: headerSafe(input.recipient.name ?? ''),
    referenceCode,
    personal: personal !== null,
    personalCategories: (personal ?? []).map(own),
    anyPersonalCategories: (personal ?? []).length > 0,
    personalOnly: personal !== null && organizations.length === 0,
    organizationsOnly: personal === null,
    personalAndOrganizations: personal !== null && organizations.length > 0,
    singleOrganization: organizations.length === 1 ? organizations[0]!.name : '',
    severalOrganizations: organizations.length > 1,
    organizations,
    notExposed: notExposed.map(own),
    anyNotExposed: notExposed.length > 0,
    domains: domains.map((domain, index) => ({ domain, first: index === 0 })),
  };
}

function organizationView(
  organization: NoticeInput['organizations'][number],
  labels: CategoryLabels,
  count: Intl.NumberFormat,
): TemplateView & { name: string } {
  const listed = organization.members.slice(0, MAX_LISTED_MEMBERS);
  const total = Math.max(organization.impactedMembers, organization.members.length);
  const unlisted = total - listed.length;
  return {
    id: headerSafe(organization.id),
    name: headerSafe(organization.name),
    impactedMembers: count.format(organization.impactedMembers),
    members: listed.map((member) => ({
      label: headerSafe(member.label),
      categories: canonical(member.categories).map((category, index) => ({
        category: labels[category].member,
        first: index === 0,
      })),
    })),
    anyMembers: listed.length > 0,
    identifiedOnlyById: organization.impactedMembers === 0 && organization.members.length === 0,
    unlisted: unlisted > 0 ? count.format(unlisted) : '',
  };
}

// Never call a category unaffected in the same message that names it as exposed.
function confirmedNotExposed(input: NoticeInput, personal: readonly Category[] | null): Category[] {
  const named = new Set<Category>([...input.incident.exposed, ...(personal ?? [])]);
  for (const organization of input.organizations) {
    for (const member of organization.members) member.categories.forEach((category) => named.add(category));
  }
  return canonical(input.incident.notExposed).filter((category) => !named.has(category));
}

function canonical(categories: readonly Category[]): Category[] {
  const present = new Set<string>(categories);
  return CATEGORIES.filter((category) => present.has(category));
}

function isWebAddress(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

// A time without Z or an offset parses in the host's zone, so the same input could render differently.
const ZONED_ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;

function utcDay(iso: string): string {
  const time = ZONED_ISO_DATE.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(time))
    throw new UserError('Incident date must be ISO 8601 with a time zone', { value: iso });
  return new Date(time).toISOString().slice(0, 10);
}

/**
 * Lays out the rendered text part: each template line is a paragraph or list item wrapped to 76
 * columns (a list item's continuation lines indented under its text), a line of dashes or equals
 * signs under a heading is sized to the heading, and runs of blank lines become one.
 */
function layoutText(rendered: string): string {
  const lines: string[] = [];
  let previous: string[] = [];
  for (const line of rendered.split('\n')) {
    const rule = /^\s*([-=])\1{2,}\s*$/.exec(line);
    if (rule !== null && previous.length > 0 && previous.some((part) => part !== '')) {
      const width = Math.max(...previous.map((part) => part.length));
      previous = [rule[1]!.repeat(Math.min(width, TEXT_WIDTH))];
    } else {
      previous = wrap(line);
    }
    lines.push(...previous);
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+/, '')
    .trimEnd()}\n`;
}

// Words longer than a line (URLs, long names) stay whole rather than being broken.
function wrap(text: string): string[] {
  const prefix = /^\s*(?:[-*•]\s+|\d+\.\s+)?/.exec(text)?.[0] ?? '';
  const words = text
    .slice(prefix.length)
    .split(' ')
    .filter((part) => part !== '');
  if (words.length === 0) return [''];
  const restPrefix = ' '.repeat(prefix.length);
  const lines: string[] = [];
  let line = prefix;
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > TEXT_WIDTH) {
      lines.push(line);
      line = restPrefix;
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}
