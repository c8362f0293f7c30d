import { CATEGORIES, type Category } from './categories.js';
import {
  CATEGORY_DESCRIPTIONS,
  type ReportIncident,
  type ReportNoticeStatus,
  type ReportSummary,
} from './incident-report.js';

/** Text the tool cannot know: given by the operator, or left visibly open rather than invented. */
export type Completable =
  { status: 'provided'; text: string; source: string } | { status: 'to be completed' };

/**
 * The notification to a supervisory authority, holding exactly the items of GDPR Art. 33(3):
 * (a) nature, (b) contact point, (c) likely consequences, (d) measures.
 */
export interface RegulatorSummary {
  kind: 'regulator-summary';
  generatedAt: string;
  controller: string;
  incident: { id: string; title: string; vendor: string; openedAt: string; awareAt: string | null };
  nature: {
    description: string;
    dataCategories: { category: Category; description: string; people: number }[];
    notExposed: Category[];
    dataSubjectCategories: { label: string; people: number }[];
    approximateDataSubjects: number;
    approximateRecords: number;
  };
  contact: { name: Completable; email: string; phone: string | null; url: string | null };
  consequences: Completable;
  measures: {
    /** `to be completed` while there is no entry: the notices alone do not answer (d). */
    status: 'provided' | 'to be completed';
    /** The operator's statement, then the decisions and mitigating events on record. */
    entries: MeasureEntry[];
    notification: { recipients: number; planned: number; sent: number; undeliverable: number };
  };
}

export interface MeasureEntry {
  at: string | null;
  text: string;
  source: 'operator' | 'decision log' | 'timeline';
}

/** Timeline events that are measures taken, in words. */
const MITIGATING_EVENTS: Readonly<Record<string, string>> = {
  vendor_removed_from_production: 'Vendor removed from production',
  vendor_terminated: 'Vendor terminated',
};

export interface RegulatorSummaryInput {
  generatedAt: string;
  company: {
    name: string;
    contactEmail: string;
    contactUrl: string | null;
    dpoName: string | null;
    dpoEmail: string | null;
    dpoPhone: string | null;
  };
  incident: ReportIncident;
  impact: Pick<ReportSummary, 'records' | 'people' | 'recipients'> & { categories: Record<Category, number> };
  notices: Record<ReportNoticeStatus, number>;
  /** The operator's statement of likely consequences, if any. */
  consequences: string | null;
  /** The operator's statement of measures, if any. */
  measures: string | null;
  decisions: { decidedAt: string; decidedBy: string; decision: string; reason: string }[];
  timeline: { type: string; occurredAt: string; note: string | null }[];
}

export function buildRegulatorSummary(input: RegulatorSummaryInput): RegulatorSummary {
  const { company, impact, incident, notices } = input;
  const planned = Object.values(notices).reduce((sum, n) => sum + n, 0);
  const statement = input.measures?.trim() ?? '';
  const entries: MeasureEntry[] = [
    ...(statement === '' ? [] : [{ at: null, text: statement, source: 'operator' as const }]),
    ...input.decisions.map((d) => ({
      at: d.decidedAt,
      text: `${d.decision} (decided by ${d.decidedBy}: ${d.reason})`,
      source: 'decision log' as const,
    })),
    ...input.timeline.flatMap((event) => {
      const label = MITIGATING_EVENTS[event.type];
      if (label === undefined) return [];
      const text = event.note ? `${label}: ${event.note}` : label;
      return [{ at: event.occurredAt, text, source: 'timeline' as const }];
    }),
  ];
  return {
    kind: 'regulator-summary',
    generatedAt: input.generatedAt,
    controller: company.name,
    incident: {
      id: incident.id,
      title: incident.title,
      vendor: incident.vendor,
      openedAt: incident.openedAt,
      awareAt: incident.awareAt,
    },
    nature: {
      description: `${incident.title}: personal data held by the processor ${incident.vendor} was exposed.`,
      dataCategories: CATEGORIES.filter((category) => impact.categories[category] > 0).map((category) => ({
        category,
        description: CATEGORY_DESCRIPTIONS[category],
        people: impact.categories[category],
      })),
      notExposed: incident.notExposed,
      dataSubjectCategories: [
        { label: 'account holders', people: impact.people.matched },
        {
          label: 'people without an account, with an email address',
          people: impact.people.unmatchedContactable,
        },
        { label: 'people without an account or an email address', people: impact.people.uncontactable },
      ].filter((row) => row.people > 0),
      approximateDataSubjects: impact.people.total,
      approximateRecords: impact.records.valid,
    },
    contact: {
      name: provided(company.dpoName, 'config'),
      email: company.dpoEmail ?? company.contactEmail,
      phone: company.dpoPhone,
      url: company.contactUrl,
    },
    consequences: provided(input.consequences, 'operator'),
    measures: {
      status: entries.length > 0 ? 'provided' : 'to be completed',
      entries,
      notification: {
        recipients: impact.recipients,
        planned,
        sent: notices.sent,
        undeliverable: notices.bounced + notices.dead,
      },
    },
  };
}

function provided(text: string | null, source: string): Completable {
  const trimmed = text?.trim() ?? '';
  return trimmed === '' ? { status: 'to be completed' } : { status: 'provided', text: trimmed, source };
}
