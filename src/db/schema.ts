import type { Generated } from 'kysely';

/** Timestamps are ISO-8601 UTC strings on every dialect; JSON columns are text. */
export interface Database {
  setting: SettingTable;
  vendor: VendorTable;
  incident: IncidentTable;
  account: AccountTable;
  organization: OrganizationTable;
  membership: MembershipTable;
  dataset: DatasetTable;
  exposed_record: ExposedRecordTable;
  exposed_value: ExposedValueTable;
  record_match: RecordMatchTable;
  record_organization: RecordOrganizationTable;
  quarantined_row: QuarantinedRowTable;
  person: PersonTable;
  person_organization: PersonOrganizationTable;
  organization_person: OrganizationPersonTable;
  notice: NoticeTable;
  notice_body: NoticeBodyTable;
  audit_entry: AuditEntryTable;
  incident_event: IncidentEventTable;
  decision: DecisionTable;
  vendor_status_change: VendorStatusChangeTable;
  vendor_review: VendorReviewTable;
  vendor_finding: VendorFindingTable;
  inbound_message: InboundMessageTable;
  inbound_recipient: InboundRecipientTable;
  identity_entry: IdentityEntryTable;
  app_user: AppUserTable;
  app_session: AppSessionTable;
  api_token: ApiTokenTable;
  rate_event: RateEventTable;
  impact_summary: ImpactSummaryTable;
  match_stamp: MatchStampTable;
}

export interface SettingTable {
  name: string;
  value: string;
}

/**
 * `*_key` columns are keyed hashes (HMAC) of identity keys; `*_sealed` columns hold AES-256-GCM
 * ciphertext. Neither can be read without the key, which never enters the database.
 */
export interface VendorTable {
  id: string;
  name: string;
  categories: string;
  purpose: string | null;
  status: string;
  created_at: string;
  /** Canonical text of the population filter over accounts; null: every account. */
  population: string | null;
  /** JSON list of sub-processor names. */
  sub_processors: string;
  /** Hours within which the contract obliges the vendor to tell us of a breach. */
  notice_hours: number | null;
}

export interface IncidentTable {
  id: string;
  vendor_id: string;
  title: string;
  exposed: string;
  not_exposed: string;
  aware_at: string | null;
  opened_at: string;
  status: string;
}

export interface AccountTable {
  id: string;
  email: string | null;
  email_norm: string | null;
  id_key: string;
  email_key: string | null;
  name: string | null;
  status: string;
  locale: string | null;
  attributes: string;
  /** Coarse place in clear (ISO country, region code or name): breach law counts by it. */
  country: string | null;
  region: string | null;
  updated_at: string;
}

export interface OrganizationTable {
  id: string;
  id_key: string;
  name: string;
  updated_at: string;
}

export interface MembershipTable {
  organization_id: string;
  /** The organization's keyed id (its `id_key`): a person's organizations by key, from one index. */
  organization_key: string;
  account_id: string;
  role: string;
}

export interface DatasetTable {
  id: string;
  incident_id: string;
  file_name: string;
  size_bytes: number;
  sha256: string;
  format: string;
  layout: string;
  compression: string;
  org_keys: string;
  /** The field → category overrides given at import, as JSON. */
  mapping: string;
  importer_version: string;
  rows_read: number;
  rows_valid: number;
  rows_quarantined: number;
  unknown_fields: string;
  imported_at: string;
  imported_by: string;
}

export interface ExposedRecordTable {
  dataset_id: string;
  ordinal: number;
  incident_id: string;
  line: number;
  /** `organization` for group profiles: they impact their organization but are no person. */
  subject: 'person' | 'organization';
  user_key: string | null;
  email_key: string | null;
  email_sealed: string | null;
  category_mask: number;
  /** Coarse place in clear (ISO country, region code or name): breach law counts by it. */
  country: string | null;
  region: string | null;
}

export interface RecordMatchTable {
  dataset_id: string;
  ordinal: number;
  incident_id: string;
  user_key: string | null;
  email_key: string | null;
  category_mask: number;
  account_id: string | null;
  /** The matched account's email key, carried by the probe that matched it. */
  account_email_key: string | null;
  match_rule: 'user_id' | 'email' | 'same_user_id' | null;
  person_key: string;
  /** Coarse place in clear (ISO country, region code or name): breach law counts by it. */
  country: string | null;
  region: string | null;
}

/** The sealed values of a block of records of one dataset, the first at `ordinal` (see `value-block.ts`). */
export interface ExposedValueTable {
  dataset_id: string;
  ordinal: number;
  incident_id: string;
  values_sealed: string;
  record_count: Generated<number>;
}

export interface RecordOrganizationTable {
  dataset_id: string;
  ordinal: number;
  incident_id: string;
  organization_key: string;
}

export interface QuarantinedRowTable {
  dataset_id: string;
  ordinal: number;
  incident_id: string;
  line: number;
  byte_offset: number;
  /** The zip entry the row came from. */
  source: string | null;
  reason: string;
  field: string | null;
}

export interface PersonTable {
  incident_id: string;
  person_key: string;
  kind: PersonKind;
  account_id: string | null;
  /** A dataset address, sealed; a matched person's is their account's email, read when needed. */
  address_sealed: string | null;
  address_key: string | null;
  category_mask: number;
  /** The most frequent place over the person's records, else their directory account's. */
  country: string | null;
  region: string | null;
  /** How many records the person has; null on rows written before it was kept. */
  record_count: number | null;
}

export type PersonKind = 'matched' | 'unmatched_contactable' | 'uncontactable';

export interface PersonOrganizationTable {
  incident_id: string;
  person_key: string;
  organization_key: string;
}

/** The same pairs as person_organization, clustered by organization: read by organization. */
export interface OrganizationPersonTable {
  incident_id: string;
  organization_key: string;
  person_key: string;
}

export type NoticeStatus = 'queued' | 'sending' | 'sent' | 'deferred' | 'failed' | 'bounced' | 'dead';

export interface NoticeTable {
  id: string;
  incident_id: string;
  recipient_sealed: string | null;
  recipient_key: string;
  /** Only the domain, in clear: per-domain rate limits need it. */
  recipient_domain: string;
  reference_code: string;
  subject: string;
  content_hash: string;
  message_id: string;
  status: NoticeStatus;
  /** Who approved this notice for sending, and when; unapproved notices are never sent. */
  approved_by: string | null;
  approved_at: string | null;
  attempts: number;
  next_attempt_at: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  sent_at: string | null;
  created_at: string;
}

/** A notice's sealed text and HTML, apart from its row so sending never rewrites them. */
export interface NoticeBodyTable {
  notice_id: string;
  text_sealed: string | null;
  html_sealed: string | null;
}

export interface AuditEntryTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  incident_id: string | null;
  detail: string;
  /** The hash chain: each entry commits to the one before it (see core/audit-chain.ts). */
  prev_hash: string;
  hash: string;
}

/** One dated fact on an incident's timeline; `source` says where the fact comes from. */
export interface IncidentEventTable {
  id: Generated<number>;
  incident_id: string;
  type: string;
  occurred_at: string;
  recorded_at: string;
  source: string;
  note: string | null;
  /** Ids and counts the flow attaches (dataset id, notice counts), as JSON. */
  detail: string;
  recorded_by: string;
}

export interface DecisionTable {
  id: Generated<number>;
  incident_id: string;
  decided_at: string;
  decided_by: string;
  decision: string;
  reason: string;
  recorded_at: string;
  recorded_by: string;
}

export interface VendorStatusChangeTable {
  id: string;
  vendor_id: string;
  status: string;
  /** When the status took effect, which may be before it was recorded. */
  at: string;
  note: string | null;
  recorded_at: string;
  recorded_by: string;
}

/** A security review; the catalogue it was judged against is kept whole, answers and evidence as JSON. */
export interface VendorReviewTable {
  id: string;
  vendor_id: string;
  catalogue_name: string;
  catalogue_version: number;
  catalogue: string;
  answers: string;
  evidence: string;
  verdict: string;
  met: number;
  not_met: number;
  unknown: number;
  reviewer: string;
  reviewed_at: string;
  recorded_at: string;
}

export interface VendorFindingTable {
  id: string;
  review_id: string;
  vendor_id: string;
  requirement_id: string | null;
  severity: string;
  title: string;
  due_at: string;
  /** `open` or `closed`. */
  status: string;
  closed_at: string | null;
  closed_by: string | null;
  resolution: string | null;
}

export type InboundKind = 'report' | 'dsn';

/** How the recipients of an inbound message were found; see docs/monitor-inbound.md. */
export type AddressedBy = 'original' | 'inline' | 'reporter' | 'envelope' | 'none';

/** One distinct message received by `monitor listen`; identical bytes again only count. */
export interface InboundMessageTable {
  id: string;
  /** Of the bytes received: the duplicate key. */
  sha256: string;
  /** Of the message judged: the attached original of a forward, else the message itself. */
  original_sha256: string;
  kind: InboundKind;
  size_bytes: number;
  received_at: string;
  last_seen_at: string;
  /** How many times the same bytes arrived again after the first. */
  duplicate_count: number;
  /** The judged message's sender domain, in clear: it is the attacker's, not leaked data. */
  from_domain: string | null;
  addressed_by: AddressedBy;
  subject_sealed: string | null;
  headers_sealed: string | null;
  raw_sealed: string | null;
  /** Null for a bounce, and for a message no scanner judged. */
  verdict: string | null;
  score: number | null;
  /** The verdict's reasons as JSON: codes and sentences that quote no more than a domain. */
  reasons: string;
  bounce_outcome: string | null;
}

/** Whom an inbound message was addressed to, as keyed hashes: misuse is a join on person and account keys. */
export interface InboundRecipientTable {
  message_id: string;
  recipient_key: string;
  recipient_domain: string;
}

/** One brand or official domain of the company's identity for the monitor. */
export interface IdentityEntryTable {
  kind: 'brand' | 'sending_domain' | 'link_domain' | 'sending_service';
  value: string;
  position: number;
  updated_at: string;
}

export type Role = 'admin' | 'responder' | 'viewer';

/** A person who may use the HTTP API; `password_hash` is `scrypt$N$r$p$salt$hash`. */
export interface AppUserTable {
  id: string;
  email: string;
  role: Role;
  password_hash: string;
  /** The TOTP secret, sealed like exposed values. */
  totp_sealed: string | null;
  /** The last TOTP time step accepted, so a code works once. */
  totp_last_step: number | null;
  created_at: string;
  disabled_at: string | null;
}

/** Only a SHA-256 of the session id is stored: a database reader cannot take over a session. */
export interface AppSessionTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface ApiTokenTable {
  id: string;
  token_hash: string;
  user_id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
}

/** One event in a sliding-window rate limit (`login-email:…`, `login-ip:…`, `verify-ip:…`). */
export interface RateEventTable {
  id: Generated<number>;
  bucket: string;
  at: string;
}

export interface ImpactSummaryTable {
  incident_id: string;
  computed_at: string;
  summary: string;
}

/** The inputs (datasets, directory version, rules) the incident's current matches were built from. */
export interface MatchStampTable {
  incident_id: string;
  stamp: string;
  matched_at: string;
}
