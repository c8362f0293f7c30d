/** What the monitor knows about one message once it is parsed and authenticated; no I/O here. */
export interface MailFacts {
  from: MailAddress | null;
  /** More than one From mailbox, or none: a malformed or deceptive header. */
  fromCount: number;
  replyTo: MailAddress[];
  /** Envelope sender from Return-Path, lowercased, or null. */
  returnPath: string | null;
  to: string[];
  subject: string;
  /** Plain text of the body (HTML reduced to text), capped. */
  text: string;
  links: MailLink[];
  attachments: MailAttachment[];
  auth: AuthFacts;
  /** What could not be read fully: caps hit, parts that failed to decode. */
  anomalies: MailAnomaly[];
}

export interface MailAddress {
  name: string;
  address: string;
  /** Lowercase ASCII domain (punycode for IDNs). */
  domain: string;
}

export interface MailLink {
  href: string;
  /** The anchor's visible text; empty for a bare URL in text. */
  text: string;
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  size: number;
  /** Names found inside archives, with their depth (1 = inside the attachment). */
  entries: ArchiveEntryName[];
  /** An archive whose listing is encrypted, too deep, or could not be read. */
  archive: 'none' | 'listed' | 'encrypted' | 'too_deep' | 'unreadable';
  /** An OOXML document carrying a VBA project, or an OLE document with macros. */
  macros: boolean;
}

export interface ArchiveEntryName {
  name: string;
  depth: number;
}

export type MailAnomaly =
  | 'headers_truncated'
  | 'body_truncated'
  | 'links_truncated'
  | 'attachments_truncated'
  | 'invalid_encoding'
  | 'no_from';

export type AuthResult =
  'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror' | 'policy';

/** Where a result came from: re-verified here, or read from the receiving server's header. */
export type AuthSource = 'verified' | 'receiver';

export interface AuthFacts {
  spf: { result: AuthResult; domain: string | null; source: AuthSource };
  dkim: DkimFact[];
  dmarc: { result: AuthResult; policy: string | null; source: AuthSource };
  arc: { result: AuthResult; source: AuthSource };
}

export interface DkimFact {
  result: AuthResult;
  domain: string;
  /** The signing domain aligns with the From domain (relaxed). */
  aligned: boolean;
  /** The signature covers only the first `l=` bytes of the body. */
  bodyLengthLimited: boolean;
  /** Bytes of body after the signed `l=` length: content anyone could have appended. */
  unsignedBytes: number;
  source: AuthSource;
}

export const NO_AUTH: AuthFacts = {
  spf: { result: 'none', domain: null, source: 'verified' },
  dkim: [],
  dmarc: { result: 'none', policy: null, source: 'verified' },
  arc: { result: 'none', source: 'verified' },
};
