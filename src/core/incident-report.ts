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
  /** Null while this version has no decision log to report. */
  decisions: ReportDecision[] | null;
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
  event: string;
  actor: string | null;
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
  warnings: string[];
  jurisdictions: ReportObligation[];
}

export interface ReportDeadline {
  /** ISO-8601; null for "without undue delay" and the like. */
  at: string | null;
  /** The rule's words, e.g. "within 72 hours of awareness". */
  rule: string;
}

export interface ReportObligation {
  jurisdiction: string;
  name: string;
  citation: string;
  /** `required`, `judgement_call` or `not_required`. */
  status: string;
  /** People in the jurisdiction whose exposed categories the law reaches. */
  affected: number;
  deadline: ReportDeadline | null;
  reasons: string[];
  notifications: { to: string; status: string; deadline: ReportDeadline | null }[];
  checklist: string[];
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
  audit: { at: string; actor: string; action: string; detail: unknown }[];
  peopleByCountry?: { country: string | null; people: number }[];
  obligations?: ReportObligations;
  decisions?: ReportDecision[];
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
            bars: [...input.peopleByCountry]
              .sort((a, b) => b.people - a.people || (a.country ?? '~').localeCompare(b.country ?? '~'))
              .map((row) => ({ label: row.country ?? 'unknown', value: row.people })),
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
    obligations: input.obligations ?? null,
    decisions: input.decisions ?? null,
  };
}

export function organizationSizeBars(sizes: { members: number; organizations: number }[]): Bar[] {
  return ORGANIZATION_SIZE_BUCKETS.map((bucket) => ({
    label: bucket.label,
    value: sizes
      .filter((size) => size.members >= bucket.min && size.members <= bucket.max)
      .reduce((sum, size) => sum + size.organizations, 0),
  })).filter((bar, index) => index > 0 || bar.value > 0);
}

/** The awareness date and every audited step of the incident, oldest first. */
function timeline(input: IncidentReportInput): TimelineEvent[] {
  const events: TimelineEvent[] = input.audit.map((entry) => ({
    at: entry.at,
    event: describeAuditEntry(entry.action, entry.detail),
    actor: entry.actor,
  }));
  if (input.incident.awareAt !== null) {
    events.push({ at: input.incident.awareAt, event: 'Became aware of the breach', actor: null });
  }
  return events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** One line for an audit entry; details hold ids and counts, never exposed values. */
export function describeAuditEntry(action: string, detail: unknown): string {
  const d = (typeof detail === 'object' && detail !== null ? detail : {}) as Record<string, unknown>;
  const n = (key: string) => (typeof d[key] === 'number' ? d[key] : 0);
  const s = (key: string) => (typeof d[key] === 'string' ? d[key] : '');
  switch (action) {
    case 'incident.open':
      return 'Incident opened';
    case 'dataset.import':
      return `Dataset ${s('file')} imported: ${n('read')} rows read, ${n('valid')} valid, ${n('quarantined')} quarantined`;
    case 'notices.plan':
      return `Notices planned: ${n('added')} added, ${n('recipients')} recipients`;
    case 'notices.approve':
      return `${n('approved')} notices approved by ${s('by')}`;
    case 'notices.send':
      return `Sending pass: ${n('sent')} sent, ${n('deferred')} deferred, ${n('failed')} failed, ${n('dead')} dead`;
    case 'notices.bounces':
      return `Bounces recorded: ${n('bounced')} bounced`;
    case 'incident.purge-values':
      return `Exposed values purged (${n('records')} records)`;
    case 'people.export':
      return 'People list exported';
    case 'report.export':
      return `Report exported (${s('kind') || 'incident report'}, ${s('format') || 'md'})`;
    default:
      return action;
  }
}
