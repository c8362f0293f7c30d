import { createHash } from 'node:crypto';
import { parseDeliveryReport } from '../core/delivery-report.js';
import { UserError } from '../core/errors.js';
import { readReportedMessage } from '../core/reported-message.js';
import type { Verdict, VerdictName, VerdictReason } from '../core/verdict.js';
import type { InboundMessageRow } from '../db/inbound.repository.js';
import type { AddressedBy, InboundKind } from '../db/schema.js';
import { recordAudit } from './audit.js';
import { parseInstant } from './incident.service.js';
import type { BounceHandled, DeliveryService } from './delivery.service.js';
import type { ServiceDeps } from './service-deps.js';

/** The phishing scanner: judges one message's bytes. */
export type Judge = (raw: Buffer) => Promise<Verdict>;

export interface InboundServiceDeps extends ServiceDeps {
  delivery: DeliveryService;
  /** Without one, reports are stored unjudged (verdict null) and count in no misuse figure. */
  judge?: Judge | undefined;
}

/** The SMTP envelope a message arrived with. */
export interface Envelope {
  mailFrom: string | null;
  rcptTo: string[];
}

export interface Received {
  id: string;
  kind: InboundKind;
  /** The same bytes arrived before: only counted. */
  duplicate: boolean;
  verdict: VerdictName | null;
  score: number | null;
  recipients: number;
  addressedBy: AddressedBy;
  bounce: BounceHandled['outcome'] | null;
}

export interface InboxEntry {
  id: string;
  sha256: string;
  kind: InboundKind;
  sizeBytes: number;
  receivedAt: string;
  lastSeenAt: string;
  duplicates: number;
  fromDomain: string | null;
  recipients: number;
  addressedBy: string;
  verdict: string | null;
  score: number | null;
  reasons: VerdictReason[];
  bounce: string | null;
  /** Only when asked for: subjects can hold leaked data. */
  subject?: string | null;
}

const VERDICTS: ReadonlySet<string> = new Set(['phishing', 'suspicious', 'clean']);
const NOT_JUDGED = { verdict: null, score: null, reasons: [] };

/**
 * Mail arriving at the reporting address: bounces of our notices go to bounce handling; everything
 * else is judged (the attached original of a forward) and stored sealed, once per distinct bytes.
 */
export class InboundService {
  constructor(private readonly deps: InboundServiceDeps) {}

  async receive(raw: Buffer, envelope: Envelope): Promise<Received> {
    const { inbound } = this.deps.uow.repos;
    const sha256 = createHash('sha256').update(raw).digest('hex');
    const now = this.deps.clock.now().toISOString();
    const existing = await inbound.findBySha256(sha256);
    if (existing) {
      await inbound.countDuplicate(existing.id, now);
      return duplicateOf(existing);
    }
    // A bounce is ours only when it reports on one of our notices; anything else is judged.
    const bounce = parseDeliveryReport(raw) ? await this.deps.delivery.recordBounce(raw) : null;
    const kind: InboundKind = bounce?.noticeId ? 'dsn' : 'report';
    const reported = readReportedMessage(raw, envelope.rcptTo);
    const recipients = kind === 'dsn' ? [] : reported.recipients;
    const verdict = kind === 'dsn' ? NOT_JUDGED : await this.judge(reported.judged);
    const { box } = this.deps;
    return this.deps.uow.transaction(async (repos) => {
      const stored = await repos.inbound.insertOrCount({
        id: this.deps.ids.next('inm'),
        sha256,
        original_sha256: createHash('sha256').update(reported.judged).digest('hex'),
        kind,
        size_bytes: raw.length,
        received_at: now,
        last_seen_at: now,
        duplicate_count: 0,
        from_domain: reported.fromDomain,
        addressed_by: kind === 'dsn' ? 'none' : reported.addressedBy,
        subject_sealed: reported.subject === null ? null : box.seal(reported.subject),
        headers_sealed: box.seal(reported.headers),
        // latin1 maps each byte to one character, so opening gives back the exact bytes.
        raw_sealed: box.seal(raw.toString('latin1')),
        verdict: verdict.verdict,
        score: verdict.score,
        reasons: JSON.stringify(verdict.reasons),
        bounce_outcome: bounce && kind === 'dsn' ? bounce.outcome : null,
      });
      const duplicate = Number(stored.duplicate_count) > 0;
      if (!duplicate) {
        await repos.inbound.insertRecipients(
          recipients.map((address) => ({
            message_id: stored.id,
            recipient_key: box.hash(address),
            recipient_domain: address.slice(address.lastIndexOf('@') + 1),
          })),
        );
        await recordAudit(repos, this.deps, 'monitor.receive', null, {
          messageId: stored.id,
          kind,
          verdict: verdict.verdict,
          recipients: recipients.length,
          bounce: bounce?.outcome ?? null,
        });
      }
      return {
        id: stored.id,
        kind,
        duplicate,
        verdict: verdict.verdict,
        score: verdict.score,
        recipients: recipients.length,
        addressedBy: kind === 'dsn' ? 'none' : reported.addressedBy,
        bounce: kind === 'dsn' ? (bounce?.outcome ?? null) : null,
      };
    });
  }

  /**
   * Retention: deletes for good the sealed bodies, headers and subjects of messages first received
   * before the date. What misuse needs (hashes, verdicts, recipient keys, times) stays.
   */
  async purgeBodies(before: string): Promise<{ messages: number }> {
    const cutoff = parseInstant(before, '--before');
    const messages = await this.deps.uow.transaction(async (repos) => {
      const purged = await repos.inbound.purgeBodies(cutoff);
      await recordAudit(repos, this.deps, 'monitor.purge', null, { before: cutoff, messages: purged });
      return purged;
    });
    await this.deps.uow.repos.inbound.reclaimPurged();
    return { messages };
  }

  /** A scanner that throws or answers nonsense must not lose the message: it is stored unjudged, with why. */
  private async judge(judged: Buffer): Promise<{
    verdict: VerdictName | null;
    score: number | null;
    reasons: VerdictReason[];
  }> {
    const unjudged = (code: string, sentence: string) => ({
      verdict: null,
      score: null,
      reasons: [{ code, sentence, weight: 0 }],
    });
    if (!this.deps.judge) return unjudged('not_judged', 'No phishing scanner is configured.');
    try {
      const verdict = await this.deps.judge(judged);
      if (!VERDICTS.has(verdict.verdict) || !Number.isFinite(verdict.score)) {
        return unjudged('judge_failed', 'The scanner gave no valid verdict for this message.');
      }
      return { verdict: verdict.verdict, score: verdict.score, reasons: verdict.reasons };
    } catch {
      return unjudged('judge_failed', 'The scanner failed on this message.');
    }
  }

  /** Stored messages, newest first, without bodies; subjects only when asked for, with an audit entry. */
  async inbox(options: {
    kind?: string | undefined;
    verdict?: string | undefined;
    limit?: number | undefined;
    subjects?: boolean | undefined;
  }): Promise<InboxEntry[]> {
    const kind = options.kind;
    if (kind !== undefined && kind !== 'report' && kind !== 'dsn') {
      throw new UserError(`--kind must be report or dsn, not "${kind}"`);
    }
    const verdict = options.verdict;
    if (verdict !== undefined && !VERDICTS.has(verdict)) {
      throw new UserError(`--verdict must be phishing, suspicious or clean, not "${verdict}"`);
    }
    const limit = options.limit ?? 50;
    if (!Number.isSafeInteger(limit) || limit < 1) throw new UserError('--limit must be a positive integer');
    const rows = await this.deps.uow.repos.inbound.list({ kind, verdict, limit });
    const entries = rows.map((row) => toEntry(row));
    if (!options.subjects) return entries;
    await this.deps.uow.transaction((repos) =>
      recordAudit(repos, this.deps, 'monitor.inbox.subjects', null, { messages: rows.length }),
    );
    return entries.map((entry, index) => {
      const sealed = rows[index]?.subject_sealed ?? null;
      return { ...entry, subject: sealed === null ? null : this.deps.box.open(sealed) };
    });
  }
}

function duplicateOf(existing: { id: string; kind: InboundKind; verdict: string | null }): Received {
  return {
    id: existing.id,
    kind: existing.kind,
    duplicate: true,
    verdict: existing.verdict as VerdictName | null,
    score: null,
    recipients: 0,
    addressedBy: 'none',
    bounce: null,
  };
}

function toEntry(
  row: Omit<InboundMessageRow, 'raw_sealed' | 'headers_sealed' | 'original_sha256'> & {
    recipients: number | string | null;
  },
): InboxEntry {
  return {
    id: row.id,
    sha256: row.sha256,
    kind: row.kind,
    sizeBytes: Number(row.size_bytes),
    receivedAt: row.received_at,
    lastSeenAt: row.last_seen_at,
    duplicates: Number(row.duplicate_count),
    fromDomain: row.from_domain,
    recipients: Number(row.recipients ?? 0),
    addressedBy: row.addressed_by,
    verdict: row.verdict,
    score: row.score === null ? null : Number(row.score),
    reasons: JSON.parse(row.reasons) as VerdictReason[],
    bounce: row.bounce_outcome,
  };
}
