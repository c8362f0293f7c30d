/** The shapes the API answers with (see /api/openapi.json). */
export type Role = 'viewer' | 'responder' | 'admin';

export interface Session {
  user: { email: string; role: Role };
  csrfToken: string | null;
}

export interface IncidentRow {
  id: string;
  title: string;
  status: string;
  opened_at: string;
  vendor: string;
}

export interface Incident {
  id: string;
  vendorName: string;
  title: string;
  exposed: string[];
  notExposed: string[];
  awareAt: string | null;
  openedAt: string;
  status: string;
}

export interface Summary {
  records: { read: number; valid: number; quarantined: number };
  people: { total: number; matched: number; unmatchedContactable: number; uncontactable: number };
  organizations: number;
  organizationsWithoutAdmin: number;
  adminRecipients: number;
  recipients: number;
  categories: Record<string, number>;
  computedAt: string;
}

export interface Breakdown {
  peopleByCountry: { country: string | null; people: number }[];
  organizationSizes: { members: number; organizations: number }[];
  largestOrganizations: { name: string; impactedMembers: number }[];
}

export interface Dataset {
  id: string;
  fileName: string;
  format: string;
  sizeBytes: number;
  sha256: string;
  rowsRead: number;
  rowsValid: number;
  rowsQuarantined: number;
  importedAt: string;
  importedBy: string;
}

export interface QuarantinedRow {
  file_name: string;
  line: number | null;
  byte_offset: number | null;
  reason: string;
  field: string | null;
}

export interface NoticeStatus {
  total: number;
  queued: number;
  sending: number;
  sent: number;
  deferred: number;
  failed: number;
  bounced: number;
  dead: number;
  problems: { recipient: string; status: string; attempts: number; last_error: string | null }[];
}

export interface TimelineEvent {
  id: number;
  type: string;
  occurredAt: string;
  source: string;
  note: string | null;
  recordedBy: string;
}

export interface Decision {
  id: number;
  decidedAt: string;
  decidedBy: string;
  decision: string;
  reason: string;
}

export interface Obligation {
  jurisdiction: string;
  name: string;
  citation: string;
  status: string;
  residents: number;
  affected: number;
  reasons: string[];
  countdown: string | null;
}

export interface ObligationReport {
  disclaimer: string;
  obligations: Obligation[];
}

export interface PersonFound {
  kind: string;
  accountId: string | null;
  address: string | null;
  categories: string[];
  organizations: string[];
  notice: { status: string; sentAt: string | null; referenceCode: string | null } | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  incidentId: string | null;
  detail: unknown;
}

export interface VendorExposure {
  vendor: { id: string; name: string; status: string };
  population: string;
  people: number;
  organizations: number;
  categories: string[];
  risk: { score: number; tier: string; cadenceMonths: number; reason: string };
}

export interface ReviewStanding {
  vendor: { name: string; status: string };
  lastReview: { reviewedAt: string; catalogue: string; verdict: string } | null;
  nextDue: string | null;
  overdue: boolean;
  problems: string[];
}

export interface InboxEntry {
  id: string;
  kind: string;
  receivedAt: string;
  duplicates: number;
  fromDomain: string | null;
  recipients: number;
  verdict: string | null;
  score: number | null;
  reasons: { code: string; sentence: string; weight: number }[];
  bounce: string | null;
}
