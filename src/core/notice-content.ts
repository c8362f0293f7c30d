import { CATEGORIES, CATEGORY_LABELS } from './categories.js';
import type { Category } from './categories.js';
import { UserError } from './errors.js';
import { escapeHtml, headerSafe } from './escape.js';

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
}

export interface NoticeContent {
  subject: string;
  text: string;
  html: string;
}

const MAX_SUBJECT_LENGTH = 200;
const MAX_LISTED_MEMBERS = 200;
const TEXT_WIDTH = 76;

// CATEGORY_LABELS address the reader ("your name"); a member list needs words about someone else.
const MEMBER_LABELS: Record<Category, string> = {
  identifier: 'user and organization identifiers',
  name: 'name',
  email: 'email address',
  phone: 'phone number',
  location: 'approximate location',
  precise_location: 'precise location',
  ip_address: 'IP address',
  device: 'device, operating system and browser',
  referrer: 'referring websites',
  usage: 'product activity records',
  address: 'postal address',
  birth_date: 'date of birth',
  credentials: 'password or security answers',
  api_key: 'API keys or access tokens',
  payment: 'payment details',
  government_id: 'government identification numbers',
  health: 'health information',
  content: 'content they created or shared',
};

/** Every input string already passed through headerSafe, categories deduplicated in canonical order. */
interface NoticeView {
  company: string;
  contactEmail: string;
  contactUrl: string | null;
  domains: string[];
  verifyUrl: string | null;
  vendor: string;
  title: string;
  awareDay: string | null;
  openedDay: string;
  greetingName: string;
  personal: Category[] | null;
  organizations: OrganizationView[];
  notExposed: Category[];
  referenceCode: string;
}

interface OrganizationView {
  id: string;
  name: string;
  impactedMembers: number;
  members: { label: string; categories: Category[] }[];
  unlisted: number;
}

type Span = string | { readonly strong: string } | { readonly link: string };
type Block =
  | { readonly kind: 'paragraph'; readonly spans: readonly Span[] }
  | { readonly kind: 'list'; readonly items: readonly (readonly Span[])[] };
interface Section {
  readonly heading: string | null;
  readonly blocks: readonly Block[];
}

export function renderNotice(input: NoticeInput): NoticeContent {
  const view = toView(input);
  const subject = noticeSubject(view);
  const sections = noticeSections(view);
  return { subject, text: renderText(sections), html: renderHtml(subject, sections) };
}

function toView(input: NoticeInput): NoticeView {
  const { company, incident } = input;
  const personal = input.personal === null ? null : canonical(input.personal.categories);
  const organizations = input.organizations.map(toOrganizationView);
  const domains = [...new Set(company.sendingDomains.map(headerSafe).filter((domain) => domain !== ''))];
  const referenceCode = headerSafe(input.referenceCode);
  if (personal === null && organizations.length === 0) {
    throw new UserError('A notice needs a personal section or at least one organization', {
      recipient: headerSafe(input.recipient.address),
    });
  }
  if (domains.length === 0) throw new UserError('A notice needs at least one official sending domain');
  if (referenceCode === '') throw new UserError('A notice needs a reference code');
  return {
    company: headerSafe(company.name),
    contactEmail: headerSafe(company.contactEmail),
    contactUrl: optional(company.contactUrl),
    domains,
    verifyUrl: optional(company.verifyUrl),
    vendor: headerSafe(incident.vendorName),
    title: headerSafe(incident.title),
    awareDay: incident.awareAt === null ? null : utcDay(incident.awareAt),
    openedDay: utcDay(incident.openedAt),
    greetingName: headerSafe(input.recipient.name ?? ''),
    personal,
    organizations,
    notExposed: confirmedNotExposed(incident, personal, organizations),
    referenceCode,
  };
}

function toOrganizationView(organization: NoticeInput['organizations'][number]): OrganizationView {
  const listed = organization.members.slice(0, MAX_LISTED_MEMBERS);
  const total = Math.max(organization.impactedMembers, organization.members.length);
  return {
    id: headerSafe(organization.id),
    name: headerSafe(organization.name),
    impactedMembers: organization.impactedMembers,
    members: listed.map((member) => ({
      label: headerSafe(member.label),
      categories: canonical(member.categories),
    })),
    unlisted: total - listed.length,
  };
}

// Never call a category unaffected in the same message that names it as exposed.
function confirmedNotExposed(
  incident: NoticeInput['incident'],
  personal: readonly Category[] | null,
  organizations: readonly OrganizationView[],
): Category[] {
  const named = new Set<Category>([...incident.exposed, ...(personal ?? [])]);
  for (const organization of organizations) {
    for (const member of organization.members) member.categories.forEach((category) => named.add(category));
  }
  return canonical(incident.notExposed).filter((category) => !named.has(category));
}

function canonical(categories: readonly Category[]): Category[] {
  const present = new Set<string>(categories);
  return CATEGORIES.filter((category) => present.has(category));
}

function optional(value: string | null): string | null {
  const clean = headerSafe(value ?? '');
  return clean === '' ? null : clean;
}

// A time without Z or an offset parses in the host's zone, so the same input could render differently.
const ZONED_ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;

function utcDay(iso: string): string {
  const time = ZONED_ISO_DATE.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(time))
    throw new UserError('Incident date must be ISO 8601 with a time zone', { value: iso });
  return new Date(time).toISOString().slice(0, 10);
}

function noticeSubject(view: NoticeView): string {
  const subject = headerSafe(`Security notice: ${view.vendor} incident affecting ${subjectAudience(view)}`);
  return truncate(subject, MAX_SUBJECT_LENGTH);
}

function subjectAudience(view: NoticeView): string {
  const [only, ...others] = view.organizations;
  if (view.personal !== null || only === undefined) return 'your data';
  return others.length === 0 ? `members of ${only.name}` : 'members of your organizations';
}

function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  let kept = '';
  for (const char of value) {
    if (kept.length + char.length > max - 1) break;
    kept += char;
  }
  return `${kept.trimEnd()}…`;
}

function noticeSections(view: NoticeView): Section[] {
  return [
    opening(view),
    ...(view.personal === null ? [] : [personalSection(view.personal)]),
    ...view.organizations.map(organizationSection),
    whatHappened(view),
    notAffected(view),
    whatWeAreDoing(view),
    whatYouShouldDo(view),
    contact(view),
    genuineness(view),
    { heading: null, blocks: [paragraph(`The security team at ${view.company}`)] },
  ];
}

function opening(view: NoticeView): Section {
  return {
    heading: null,
    blocks: [
      paragraph(view.greetingName === '' ? 'Hello,' : `Hello ${view.greetingName},`),
      paragraph(
        `We are writing from ${view.company} to tell you about a security incident at ${view.vendor}, `,
        `a service provider we use. It involved information about ${openingAudience(view)}.`,
      ),
    ],
  };
}

function openingAudience(view: NoticeView): string {
  const members = 'members of organizations you administer';
  if (view.personal === null) return members;
  return view.organizations.length === 0 ? 'you' : `you and about ${members}`;
}

function personalSection(categories: readonly Category[]): Section {
  if (categories.length === 0) {
    return section(
      'Your information',
      paragraph(
        'You are in the exposed data, but we could not tell which details about you it contained. ',
        'Contact us and we will check for you.',
      ),
    );
  }
  return section(
    'Your information',
    paragraph('The exposed data included the following information about you:'),
    list(categories.map((category) => [sentenceCase(CATEGORY_LABELS[category])])),
  );
}

function organizationSection(organization: OrganizationView): Section {
  const blocks: Block[] = [
    paragraph(
      'You are receiving this part because you are an owner or administrator of ',
      { strong: organization.name },
      ` (organization ID ${organization.id}).`,
    ),
    paragraph('Impacted members: ', { strong: formatCount(organization.impactedMembers) }),
  ];
  if (organization.members.length > 0) {
    blocks.push(
      paragraph('Members and the information about them in the exposed data:'),
      list(organization.members.map(memberItem)),
    );
  } else if (organization.impactedMembers === 0) {
    blocks.push(paragraph("No individual members were identified; the organization's ID was in the data."));
  }
  if (organization.unlisted > 0) {
    blocks.push(paragraph(`And ${formatCount(organization.unlisted)} more — ask us for the full list.`));
  }
  return { heading: `Organization: ${organization.name}`, blocks };
}

function memberItem(member: OrganizationView['members'][number]): Span[] {
  const details =
    member.categories.length === 0
      ? 'in the data, details unknown'
      : member.categories.map((category) => MEMBER_LABELS[category]).join(', ');
  return [{ strong: member.label }, `: ${details}`];
}

function whatHappened(view: NoticeView): Section {
  const when =
    view.awareDay === null
      ? `We opened our investigation on ${view.openedDay}.`
      : `We became aware of it on ${view.awareDay}.`;
  return section(
    'What happened',
    paragraph(`Someone without authorization obtained data that ${view.vendor} held for us. ${when}`),
    paragraph('Incident: ', view.title),
  );
}

function notAffected(view: NoticeView): Section {
  if (view.notExposed.length === 0) {
    return section(
      'What was not affected',
      paragraph('We are still confirming which information was not affected and will tell you when we know.'),
    );
  }
  return section(
    'What was not affected',
    paragraph('We have confirmed that the incident did not expose:'),
    list(view.notExposed.map((category) => [sentenceCase(CATEGORY_LABELS[category])])),
  );
}

function whatWeAreDoing(view: NoticeView): Section {
  return section(
    'What we are doing',
    list([
      [`We are working with ${view.vendor} to understand the incident fully.`],
      [
        'We have identified the people and organizations in the data and are writing to each of them directly.',
      ],
      ['We are watching for phishing and other misuse of this data.'],
      ['We will write again if we learn anything that changes what this notice says.'],
    ]),
  );
}

function whatYouShouldDo(view: NoticeView): Section {
  const items: Span[][] = [
    [
      'Expect phishing that uses these details. Be careful with any email, message or call that mentions ',
      'this incident or information about you; attackers use such details to look genuine.',
    ],
    [
      'Our notices and follow-ups about this incident come only from these domains: ',
      ...joinSpans(view.domains.map((domain) => ({ strong: domain }))),
      '. Check the sender carefully; lookalike domains are common.',
    ],
    [
      { strong: 'We never ask for passwords, API keys or verification codes by email.' },
      ' Anyone who does is not us.',
    ],
    ['Turn on multi-factor authentication for your account if you have not already.'],
  ];
  if (view.organizations.length > 0) {
    const yours = view.organizations.length === 1 ? 'your organization' : 'your organizations';
    items.push([`Consider warning the members of ${yours} about phishing that mentions this incident.`]);
  }
  return section('What you should do', list(items));
}

function contact(view: NoticeView): Section {
  const url: Span[][] = view.contactUrl === null ? [] : [['Web: ', { link: view.contactUrl }]];
  return section(
    'Questions',
    paragraph('If you have questions, contact us:'),
    list([['Email: ', { strong: view.contactEmail }], ...url]),
  );
}

function genuineness(view: NoticeView): Section {
  const how: Span[] =
    view.verifyUrl === null
      ? [
          'reply to ',
          { strong: view.contactEmail },
          ' quoting the reference code. Type that address yourself: a forged message can carry a ',
          'different reply address.',
        ]
      : [
          'visit ',
          { link: view.verifyUrl },
          ' and enter the reference code. Type that address into your browser yourself rather than ',
          'following a link.',
        ];
  return section(
    'Checking that this notice is genuine',
    paragraph('Reference code: ', { strong: view.referenceCode }),
    paragraph('To check that this notice really comes from us, ', ...how),
  );
}

function section(heading: string, ...blocks: Block[]): Section {
  return { heading, blocks };
}

function paragraph(...spans: Span[]): Block {
  return { kind: 'paragraph', spans };
}

function list(items: readonly (readonly Span[])[]): Block {
  return { kind: 'list', items };
}

function joinSpans(spans: readonly Span[]): Span[] {
  return spans.flatMap((span, index) => (index === 0 ? [span] : [', ', span]));
}

function sentenceCase(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

function formatCount(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function renderText(sections: readonly Section[]): string {
  return `${sections.map(sectionText).join('\n\n')}\n`;
}

function sectionText(section: Section): string {
  const heading = section.heading === null ? [] : [headingText(section.heading)];
  return [...heading, ...section.blocks.map(blockText)].join('\n\n');
}

function headingText(heading: string): string {
  const lines = wrap(heading, '', '');
  const width = Math.max(...lines.map((line) => line.length));
  return [...lines, '-'.repeat(Math.min(width, TEXT_WIDTH))].join('\n');
}

function blockText(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return wrap(spansText(block.spans), '', '').join('\n');
    case 'list':
      return block.items.flatMap((item) => wrap(spansText(item), '  - ', '    ')).join('\n');
  }
}

function spansText(spans: readonly Span[]): string {
  return spans
    .map((span) => (typeof span === 'string' ? span : 'strong' in span ? span.strong : span.link))
    .join('');
}

// Words longer than a line (URLs, long names) stay whole rather than being broken.
function wrap(text: string, firstPrefix: string, restPrefix: string): string[] {
  const lines: string[] = [];
  let line = firstPrefix;
  let empty = true;
  for (const word of text.split(' ').filter((part) => part !== '')) {
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

const STYLE = {
  body: 'margin:0;padding:0;background-color:#f3f4f6;',
  container:
    "max-width:600px;margin:0 auto;padding:24px 20px;background-color:#ffffff;color:#111827;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;overflow-wrap:break-word;word-wrap:break-word;",
  heading: 'margin:24px 0 8px;font-size:18px;line-height:1.3;color:#111827;',
  paragraph: 'margin:0 0 12px;',
  list: 'margin:0 0 12px;padding-left:24px;',
  item: 'margin:0 0 4px;',
  link: 'color:#1d4ed8;text-decoration:underline;',
};

function renderHtml(subject: string, sections: readonly Section[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title>`,
    '</head>',
    `<body style="${STYLE.body}">`,
    `<div style="${STYLE.container}">`,
    ...sections.flatMap(sectionHtml),
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function sectionHtml(section: Section): string[] {
  const heading =
    section.heading === null ? [] : [`<h2 style="${STYLE.heading}">${escapeHtml(section.heading)}</h2>`];
  return [...heading, ...section.blocks.map(blockHtml)];
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p style="${STYLE.paragraph}">${spansHtml(block.spans)}</p>`;
    case 'list': {
      const items = block.items.map((item) => `<li style="${STYLE.item}">${spansHtml(item)}</li>`);
      return [`<ul style="${STYLE.list}">`, ...items, '</ul>'].join('\n');
    }
  }
}

function spansHtml(spans: readonly Span[]): string {
  return spans.map(spanHtml).join('');
}

function spanHtml(span: Span): string {
  if (typeof span === 'string') return escapeHtml(span);
  if ('strong' in span) return `<strong>${escapeHtml(span.strong)}</strong>`;
  // Only web addresses become links; anything else (javascript:, data:) stays visible, inert text.
  if (!/^https?:\/\//i.test(span.link)) return escapeHtml(span.link);
  const url = escapeHtml(span.link);
  return `<a href="${url}" style="${STYLE.link}">${url}</a>`;
}
