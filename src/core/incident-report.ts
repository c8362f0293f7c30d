import { CATEGORIES, type Category } from './categories.js';

/**
 * The incident report as plain data: built here from what the services return, rendered to
 * markdown, HTML (and so PDF) and JSON by pure functions. Counts, categories and hashes only: no
 * exposed value and no address of a person ever enters it.
 */
export interface IncidentReport {
  kind: 'incident-report';
  generatedAt: string;
  company: string;
  incident: ReportIncident;
  summary: ReportSummary;
  timeline: TimelineEvent[];
  impact: ReportImpact;
  datasets: ReportDataset[];
  notices: ReportNotices;
  /** Null while this version has no obligations assessment to report. */
  obligations: ReportObligations | null;
  decisions: ReportDecision[];
}

export interface ReportIncident {
  id: string;
  title: string;
  vendor: string;
  status: string;
  openedAt: string;
  awareAt: string | null;
  exposed: Category[];
  notExposed: Category[];
}

export interface ReportSummary {
  records: { read: number; valid: number; quarantined: number };
  people: { total: number; matched: number; unmatchedContactable: number; uncontactable: number };
  organizations: number;
  organizationsWithoutAdmin: number;
  adminRecipients: number;
  recipients: number;
  /** Categories exposed for at least one person, in vocabulary order. */
  exposedCategories: Category[];
  noticesSent: number;
  noticesTotal: number;
}

export interface TimelineEvent {
  at: string;
  /** The event type from the incident record, e.g. `dataset_received`. */
  type: string;
  event: string;
  note: string | null;
  /** Where the fact comes from: `breachdesk` for the flow's own steps, else what the operator gave. */
  source: string;
  recordedBy: string;
}

/** An incident event as the record keeps it. */
export interface RecordedEvent {
  type: string;
  occurredAt: string;
  source: string;
  note: string | null;
  detail: Record<string, unknown>;
  recordedBy: string;
}

/** One bar of a chart: a label and a count. */
export interface Bar {
  label: string;
  value: number;
}

export interface Chart {
  title: string;
  /** What the bars are, e.g. "category". */
  axis: string;
  /** What one unit of a bar counts, e.g. "people". */
  unit: string;
  bars: Bar[];
}

export interface ReportImpact {
  byCategory: Chart;
  /** Null until the people's location is known to the database. */
  byCountry: Chart | null;
  organizationsBySize: Chart;
  largestOrganizations: { name: string; impactedMembers: number }[];
}

export interface ReportDataset {
  fileName: string;
  sizeBytes: number;
  sha256: string;
  format: string;
  layout: string;
  compression: string;
  importerVersion: string;
  rowsRead: number;
  rowsValid: number;
  rowsQuarantined: number;
  importedAt: string;
  importedBy: string;
}

export const NOTICE_STATUSES = [
  'queued',
  'sending',
  'sent',
  'deferred',
  'failed',
  'bounced',
  'dead',
] as const;
export type ReportNoticeStatus = (typeof NOTICE_STATUSES)[number];

export interface ReportNotices {
  total: number;
  byStatus: Record<ReportNoticeStatus, number>;
  delivery: Chart;
}

/** The obligations assessment: per jurisdiction, what the law requires, by when, and why. */
export interface ReportObligations {
  ruleVersion: string;
  disclaimer: string;
  /** The instant deadlines count from. */
  awareAt: string;
  /** The instant the countdowns were taken at. */
  now: string;
  /** What the assessment assumed: the report's --encrypted, --authorized-access, --time-zone. */
  facts: { unauthorized: boolean; encrypted: boolean; timeZone: string };
  warnings: string[];
  jurisdictions: ReportObligation[];
}

export interface ReportDeadline {
  /** ISO-8601 UTC; null for "without undue delay" and the like. */
  at: string | null;
  /** The same instant in the time zone the days were counted in. */
  local: string | null;
  /** The rule's words, e.g. "within 72 hours of awareness". */
  rule: string;
}

export interface ReportObligation {
  jurisdiction: string;
  name: string;
  citation: string;
  /** `required`, `judgement_call` or `not_required`. */
  status: string;
  /** People located in the jurisdiction. */
  residents: number;
  /** Those of them whose exposed categories the law reaches. */
  affected: number;
  deadline: ReportDeadline | null;
  /** "due in 39 h", "overdue by 3 h"; null without a dated deadline. */
  countdown: string | null;
  reasons: string[];
  notifications: { to: string; status: string; deadline: ReportDeadline | null }[];
  checklist: string[];
}

/** The obligations assessment as the obligations service returns it. */
export interface ObligationsInput {
  ruleVersion: string;
  disclaimer: string;
  awareAt: string;
  now: string;
  facts: { unauthorized: boolean; encrypted: boolean; timeZone: string };
  warnings: string[];
  obligations: {
    jurisdiction: string;
    name: string;
    citation: string;
    status: string;
    residents: number;
    affected: number;
    deadline: ReportDeadline | null;
    countdown: string | null;
    reasons: string[];
    notifications: { to: string; status: string; deadline: ReportDeadline | null }[];
    checklist: string[];
  }[];
}

/** Who decided what and why, from the incident's decision log. */
export interface ReportDecision {
  at: string;
  by: string;
  decision: string;
  reason: string;
}

/** What the builder needs, in the shapes the services already return. */
export interface IncidentReportInput {
  generatedAt: string;
  company: { name: string };
  incident: ReportIncident;
  impact: Omit<ReportSummary, 'exposedCategories' | 'noticesSent' | 'noticesTotal'> & {
    categories: Record<Category, number>;
  };
  /** How many impacted organizations have exactly `members` impacted members. */
  organizationSizes: { members: number; organizations: number }[];
  largestOrganizations: { name: string; impactedMembers: number }[];
  datasets: ReportDataset[];
  notices: Record<ReportNoticeStatus, number>;
  timeline: RecordedEvent[];
  peopleByCountry?: { country: string | null; people: number }[];
  obligations?: ObligationsInput;
  decisions: { decidedAt: string; decidedBy: string; decision: string; reason: string }[];
}

/** Neutral names for the categories, for readers who are not the data subjects. */
export const CATEGORY_DESCRIPTIONS: Record<Category, string> = {
  identifier: 'user and organization identifiers',
  name: 'names',
  email: 'email addresses',
  phone: 'phone numbers',
  location: 'approximate location (city, region, country, time zone)',
  precise_location: 'precise location',
  ip_address: 'IP addresses',
  device: 'device, operating system and browser',
  referrer: 'referring websites and landing URLs',
  usage: 'product activity records',
  address: 'postal addresses',
  birth_date: 'dates of birth',
  credentials: 'passwords or security answers',
  api_key: 'API keys or access tokens',
  payment: 'payment details',
  government_id: 'government identification numbers',
  health: 'health information',
  content: 'user content (messages, files)',
};

/** Organization size buckets by impacted members; 0 is an organization named only by the dataset. */
export const ORGANIZATION_SIZE_BUCKETS: readonly { label: string; min: number; max: number }[] = [
  { label: '0 (named in the dataset only)', min: 0, max: 0 },
  { label: '1 member', min: 1, max: 1 },
  { label: '2–5 members', min: 2, max: 5 },
  { label: '6–20 members', min: 6, max: 20 },
  { label: '21–100 members', min: 21, max: 100 },
  { label: 'more than 100 members', min: 101, max: Number.POSITIVE_INFINITY },
];

const COUNTRY_BARS = 15;

export function buildIncidentReport(input: IncidentReportInput): IncidentReport {
  const { impact, incident } = input;
  const exposedCategories = CATEGORIES.filter((category) => impact.categories[category] > 0);
  const noticesTotal = Object.values(input.notices).reduce((sum, n) => sum + n, 0);
  return {
    kind: 'incident-report',
    generatedAt: input.generatedAt,
    company: input.company.name,
    incident: {
      id: incident.id,
      title: incident.title,
      vendor: incident.vendor,
      status: incident.status,
      openedAt: incident.openedAt,
      awareAt: incident.awareAt,
      exposed: incident.exposed,
      notExposed: incident.notExposed,
    },
    summary: {
      records: impact.records,
      people: impact.people,
      organizations: impact.organizations,
      organizationsWithoutAdmin: impact.organizationsWithoutAdmin,
      adminRecipients: impact.adminRecipients,
      recipients: impact.recipients,
      exposedCategories,
      noticesSent: input.notices.sent,
      noticesTotal,
    },
    timeline: timeline(input),
    impact: {
      byCategory: {
        title: 'People by exposed category',
        axis: 'category',
        unit: 'people',
        bars: exposedCategories.map((category) => ({
          label: CATEGORY_DESCRIPTIONS[category],
          value: impact.categories[category],
        })),
      },
      byCountry: input.peopleByCountry
        ? {
            title: 'People by country',
            axis: 'country',
            unit: 'people',
            bars: countryBars(input.peopleByCountry),
          }
        : null,
      organizationsBySize: {
        title: 'Impacted organizations by impacted members',
        axis: 'impacted members',
        unit: 'organizations',
        bars: organizationSizeBars(input.organizationSizes),
      },
      largestOrganizations: input.largestOrganizations,
    },
    datasets: input.datasets.map((dataset) => ({
      fileName: dataset.fileName,
      sizeBytes: dataset.sizeBytes,
      sha256: dataset.sha256,
      format: dataset.format,
      layout: dataset.layout,
      compression: dataset.compression,
      importerVersion: dataset.importerVersion,
      rowsRead: dataset.rowsRead,
      rowsValid: dataset.rowsValid,
      rowsQuarantined: dataset.rowsQuarantined,
      importedAt: dataset.importedAt,
      importedBy: dataset.importedBy,
    })),
    notices: {
      total: noticesTotal,
      byStatus: { ...input.notices },
      delivery: {
        title: 'Notices by delivery status',
        axis: 'status',
        unit: 'notices',
        bars: NOTICE_STATUSES.filter((status) => input.notices[status] > 0).map((status) => ({
          label: status,
          value: input.notices[status],
        })),
      },
    },
    obligations: input.obligations ? obligations(input.obligations) : null,
    decisions: input.decisions.map((d) => ({
      at: d.decidedAt,
      by: d.decidedBy,
      decision: d.decision,
      reason: d.reason,
    })),
  };
}

/** The most frequent countries, the rest as one bar, then the people with no known country. */
/** The summary table's rows, the same in every format. */
export function summaryRows(summary: ReportSummary): [string, number | string][] {
  return [
    ['records read', summary.records.read],
    ['records valid', summary.records.valid],
    ['records quarantined', summary.records.quarantined],
    ['people', summary.people.total],
    ['— matched to an account', summary.people.matched],
    ['— unmatched, contactable', summary.people.unmatchedContactable],
    ['— uncontactable', summary.people.uncontactable],
    ['impacted organizations', summary.organizations],
    ['— without an active admin to tell', summary.organizationsWithoutAdmin],
    ['admin recipients', summary.adminRecipients],
    ['notice recipients', summary.recipients],
    ['notices sent', `${summary.noticesSent} of ${summary.noticesTotal}`],
  ];
}

export function countryBars(rows: { country: string | null; people: number }[]): Bar[] {
  const known = rows
    .filter((row): row is { country: string; people: number } => row.country !== null)
    .sort((a, b) => b.people - a.people || a.country.localeCompare(b.country));
  const rest = known.slice(COUNTRY_BARS);
  const unknown = rows.filter((row) => row.country === null).reduce((sum, row) => sum + row.people, 0);
  return [
    ...known.slice(0, COUNTRY_BARS).map((row) => ({ label: row.country, value: row.people })),
    ...(rest.length > 0
      ? [{ label: `${rest.length} other countries`, value: rest.reduce((sum, row) => sum + row.people, 0) }]
      : []),
    ...(unknown > 0 ? [{ label: 'unknown', value: unknown }] : []),
  ];
}

export function organizationSizeBars(sizes: { members: number; organizations: number }[]): Bar[] {
  return ORGANIZATION_SIZE_BUCKETS.map((bucket) => ({
    label: bucket.label,
    value: sizes
      .filter((size) => size.members >= bucket.min && size.members <= bucket.max)
      .reduce((sum, size) => sum + size.organizations, 0),
  })).filter((bar, index) => index > 0 || bar.value > 0);
}

/** A deadline in words: its local time (else UTC) and, when asked, the rule it comes from. */
export function deadlineText(value: ReportDeadline | null, withRule: boolean): string {
  if (value === null) return '—';
  const when = value.local ?? value.at;
  if (when === null) return value.rule;
  return withRule ? `${when} (${value.rule})` : when;
}

/** What the assessment took as given, in one sentence. */
export function assumedFacts(assessment: ReportObligations): string {
  const { facts } = assessment;
  return (
    `Rules ${assessment.ruleVersion}, counted from awareness at ${assessment.awareAt}, clock at ${assessment.now}; ` +
    `assumed ${facts.unauthorized ? 'unauthorized' : 'authorized'} access to ${facts.encrypted ? 'encrypted' : 'unencrypted'} data, ` +
    `days counted in ${facts.timeZone} (breachdesk obligations takes other facts).`
  );
}

function obligations(input: ObligationsInput): ReportObligations {
  const deadline = (value: ReportDeadline | null): ReportDeadline | null =>
    value === null ? null : { at: value.at, local: value.local, rule: value.rule };
  return {
    ruleVersion: input.ruleVersion,
    disclaimer: input.disclaimer,
    awareAt: input.awareAt,
    now: input.now,
    facts: { ...input.facts },
    warnings: [...input.warnings],
    jurisdictions: input.obligations.map((o) => ({
      jurisdiction: o.jurisdiction,
      name: o.name,
      citation: o.citation,
      status: o.status,
      residents: o.residents,
      affected: o.affected,
      deadline: deadline(o.deadline),
      countdown: o.countdown,
      reasons: [...o.reasons],
      notifications: o.notifications.map((n) => ({
        to: n.to,
        status: n.status,
        deadline: deadline(n.deadline),
      })),
      checklist: [...o.checklist],
    })),
  };
}

/** The incident record's events, oldest first, each in one line. */
function timeline(input: IncidentReportInput): TimelineEvent[] {
  return input.timeline
    .map((event) => ({
      at: event.occurredAt,
      type: event.type,
      event: describeEvent(event.type, event.detail),
      note: event.note,
      source: event.source,
      recordedBy: event.recordedBy,
    }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** One line for an event; the flow's details hold ids, counts and file names, never exposed values. */
export function describeEvent(type: string, detail: Record<string, unknown>): string {
  const n = (key: string) => (typeof detail[key] === 'number' ? detail[key] : 0);
  const s = (key: string) => (typeof detail[key] === 'string' ? detail[key] : '');
  switch (type) {
    case 'incident_opened':
      return 'Incident opened';
    case 'vendor_aware':
      return 'The vendor became aware of the breach';
    case 'vendor_informed_us':
      return 'The vendor informed us (awareness: deadlines count from here)';
    case 'dataset_received':
      return s('file')
        ? `Dataset received: ${s('file')} (SHA-256 ${s('sha256').slice(0, 16)}…)`
        : 'Dataset received';
    case 'vendor_removed_from_production':
      return 'Vendor removed from production';
    case 'notices_approved':
      return `${n('approved')} notices approved by ${s('by')}`;
    case 'notices_sent':
      return `Every notice final: ${n('sent')} sent, ${n('bounced')} bounced, ${n('dead')} undeliverable`;
    case 'vendor_terminated':
      return 'Vendor terminated';
    case 'status_changed':
      return `Status changed from ${s('from')} to ${s('to')}`;
    case 'note':
      return 'Note';
    default:
      return type;
  }
}
