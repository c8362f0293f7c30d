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
  notice: NoticeTable;
  notice_body: NoticeBodyTable;
  audit_entry: AuditEntryTable;
  incident_event: IncidentEventTable;
  decision: DecisionTable;
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
  match_rule: 'user_id' | 'email' | 'same_user_id' | null;
  person_key: string;
  /** Coarse place in clear (ISO country, region code or name): breach law counts by it. */
  country: string | null;
  region: string | null;
}

export interface ExposedValueTable {
  dataset_id: string;
  ordinal: number;
  incident_id: string;
  values_sealed: string;
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
  /** A directory address in clear; a dataset address only sealed. */
  address: string | null;
  address_sealed: string | null;
  address_key: string | null;
  category_mask: number;
  /** The most frequent place over the person's records, else their directory account's. */
  country: string | null;
  region: string | null;
}

export type PersonKind = 'matched' | 'unmatched_contactable' | 'uncontactable';

export interface PersonOrganizationTable {
  incident_id: string;
  person_key: string;
  organization_key: string;
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
