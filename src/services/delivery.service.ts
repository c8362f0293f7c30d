import type { MailSender } from '../adapters/smtp-sender.js';
import { UserError } from '../core/errors.js';
import { readEmlFolder } from '../adapters/eml-folder.js';
import { bounceOutcome } from '../core/bounce-outcome.js';
import { parseDeliveryReport } from '../core/delivery-report.js';
import { createSendPace, type SendPace } from '../core/send-pace.js';
import { classifySendError, retryDelayMs } from '../core/smtp-outcome.js';
import type { CompanyConfig } from '../config.js';
import type { NoticeRow } from '../db/notice.repository.js';
import type { Repositories } from '../db/repositories.js';
import { ClaimQueue, type ClaimedNotice } from './claim-queue.js';
import { recordAudit } from './audit.js';
import { FLOW_SOURCE, recordEvent } from './timeline.js';
import type { ServiceDeps } from './service-deps.js';
import type { IncidentService } from './incident.service.js';

export interface DeliveryServiceDeps extends ServiceDeps {
  company: CompanyConfig;
  incidents: IncidentService;
}

export interface SendOptions {
  sender: MailSender;
  concurrency?: number;
  leaseMs?: number;
  maxAttempts?: number;
  /**
   * Global, per-domain and warm-up limits, per sending process; a notice over a limit waits for its
   * turn, unsent. The warm-up counts its days from the incident's first sent notice.
   */
  pace?: PaceSettings;
}

export interface PaceSettings {
  globalPerHour?: number | undefined;
  perDomainPerHour?: number | undefined;
  warmup?: { startPerHour: number; factorPerDay: number } | undefined;
}

export interface BounceResult {
  files: number;
  bounced: number;
  delayed: number;
  ignored: number;
  /** Bounces of messages that are no notice of this incident, or of one not in `sent`. */
  unmatched: number;
  unreadable: number;
}

/** What one bounce message did, and the notice it reports on when that is one of ours. */
export interface BounceHandled {
  outcome: 'bounced' | 'delayed' | 'ignored' | 'unmatched';
  incidentId: string | null;
  noticeId: string | null;
}

export interface SendResult {
  sent: number;
  deferred: number;
  failed: number;
  dead: number;
  /** Held back by a rate limit, queued again for the time the limit allows. */
  paced: number;
}

/**
 * Drains the outbox: lanes take notices from a queue claimed in small batches under a lease (the
 * lease is renewed before a send once it has aged), and results are written back in batches while
 * the lease is still ours. A crash leaves at most two batches in `sending`; once their lease runs
 * out the next run resends those, with the same Message-ID.
 */
export class DeliveryService {
  constructor(private readonly deps: DeliveryServiceDeps) {}

  /** Passes started by `start`, by incident: one at a time per incident in this process. */
  private readonly passes = new Map<string, Promise<void>>();

  /**
   * Starts a send pass in the background and returns once the plan is known to be sendable;
   * progress shows in the notice status. The pass ends in an audit entry, stopped or not.
   */
  async start(incidentId: string, options: Omit<SendOptions, 'sender'> & { connect(): MailSender }) {
    if (this.passes.has(incidentId))
      throw new UserError(`a send pass for ${incidentId} is already running`, {}, 'conflict');
    await this.checkSendable(incidentId);
    const sender = options.connect();
    const pass = this.send(incidentId, { ...options, sender })
      .then(
        () => undefined,
        (error: unknown) =>
          this.deps.uow.transaction((repos) =>
            recordAudit(repos, this.deps, 'notices.send.stopped', incidentId, {
              error: error instanceof Error ? error.message : String(error),
            }),
          ),
      )
      .finally(() => {
        sender.close();
        this.passes.delete(incidentId);
      });
    this.passes.set(incidentId, pass);
    return { started: true };
  }

  /** Resolves when every background pass of this process has ended (for a clean shutdown). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.passes.values()]);
  }

  async send(incidentId: string, options: SendOptions): Promise<SendResult> {
    await this.checkSendable(incidentId);
    const { concurrency = 4, leaseMs = 120_000, maxAttempts = 5 } = options;
    const owner = this.deps.ids.next('wrk');
    const result: SendResult = { sent: 0, deferred: 0, failed: 0, dead: 0, paced: 0 };
    const pace = options.pace ? await this.createPace(incidentId, options.pace) : undefined;
    // Set by any lane when the server refuses the session; every lane then stops.
    const stop: { reason: string | null } = { reason: null };
    const outbox = new ClaimQueue(this.deps.uow, {
      incidentId,
      owner,
      batch: concurrency,
      claim: () => ({ now: this.now(), leaseUntil: this.leaseEnd(leaseMs) }),
      counted: (status) => void (result[status] += 1),
    });
    const lanes = Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let notice = await outbox.next(stop); notice; notice = await outbox.next(stop)) {
          const retryAt = this.paceFor(notice, pace);
          if (retryAt !== null) {
            await this.deps.uow.repos.notices.release(notice.id, owner, notice.attempts - 1, retryAt);
            result.paced += 1;
            continue;
          }
          const outcome = await this.deliver(
            notice,
            outbox,
            options.sender,
            { leaseMs, maxAttempts },
            (reason) => {
              stop.reason ??= reason;
            },
          );
          if (outcome === 'stopped') await this.release(notice, owner);
        }
      }),
    );
    await lanes.catch(async (error: unknown) => {
      // What was sent before the failure is recorded, so it is not sent again once leases end.
      await outbox.flush().catch(() => undefined);
      throw error;
    });
    for (const notice of outbox.unsent()) await this.release(notice, owner);
    await outbox.flush();
    // A pass that found nothing due changed nothing: a waiting worker must not flood the audit log.
    if (Object.values(result).some((n) => n > 0) || stop.reason !== null) {
      await this.deps.uow.transaction(async (repos) => {
        await recordAudit(repos, this.deps, 'notices.send', incidentId, { ...result, stopped: stop.reason });
        await this.recordAllSent(repos, incidentId);
      });
    }
    if (stop.reason !== null) {
      throw new UserError(`sending stopped, ${stop.reason}; ${result.sent} sent, the rest stay queued`);
    }
    return result;
  }

  /**
   * The first pass that leaves no notice queued, sending or deferred puts `notices_sent` on the
   * timeline. Checked under the audit lock taken just before, so of several workers one records it.
   */
  private async recordAllSent(repos: Repositories, incidentId: string): Promise<void> {
    if (Number((await repos.notices.countUnfinished(incidentId)).n) > 0) return;
    if ((await repos.events.earliestOfType(incidentId, 'notices_sent')) !== null) return;
    const counts = await repos.notices.statusCounts(incidentId);
    await recordEvent(repos, this.deps, incidentId, {
      type: 'notices_sent',
      occurredAt: this.now(),
      source: FLOW_SOURCE,
      detail: Object.fromEntries(counts.map((row) => [row.status, Number(row.n)])),
    });
  }

  private async checkSendable(incidentId: string): Promise<void> {
    await this.deps.incidents.get(incidentId);
    const { notices } = this.deps.uow.repos;
    const planned = await notices.countForIncident(incidentId);
    if (Number(planned.n) === 0)
      throw new UserError(
        `incident ${incidentId} has no planned notices: run notices plan first`,
        {},
        'conflict',
      );
    const unapproved = Number((await notices.countUnapproved(incidentId)).n);
    if (unapproved === Number(planned.n)) {
      throw new UserError(
        `the notice plan of ${incidentId} is not approved: run notices approve ${incidentId} --by NAME`,
        {},
        'conflict',
      );
    }
  }

  /**
   * Sends one claimed notice; its result joins the queue's next batched write. A notice is marked
   * sent only after the server accepted it: a crash before that write resends it, within the
   * in-flight bound, with the same Message-ID.
   */
  private async deliver(
    notice: ClaimedNotice,
    outbox: ClaimQueue,
    sender: MailSender,
    limits: { leaseMs: number; maxAttempts: number },
    stop: (reason: string) => void,
  ): Promise<'recorded' | 'lost' | 'stopped'> {
    if (!(await outbox.holdLease(notice, this.deps.clock.now().getTime(), limits.leaseMs))) return 'lost';
    if (notice.recipient_sealed === null || notice.text_sealed === null || notice.html_sealed === null) {
      return outbox.record(notice, {
        status: 'failed',
        last_error: 'exposed values were purged before sending',
      });
    }
    const { company, box } = this.deps;
    try {
      await sender.send({
        from: { name: company.fromName, address: company.fromAddress },
        // Opened only here: a dataset address exists in clear just for the SMTP conversation.
        to: box.open(notice.recipient_sealed),
        subject: notice.subject,
        text: box.open(notice.text_sealed),
        html: box.open(notice.html_sealed),
        messageId: notice.message_id,
        headers: { 'X-Breachdesk-Reference': notice.reference_code },
      });
      return outbox.record(notice, { status: 'sent', sent_at: this.now(), last_error: null });
    } catch (error) {
      const failure = classifySendError(error);
      switch (failure.kind) {
        case 'fatal':
          stop(failure.reason);
          return 'stopped';
        case 'permanent':
          return outbox.record(notice, { status: 'failed', last_error: failure.reason });
        case 'temporary':
          if (notice.attempts >= limits.maxAttempts) {
            return outbox.record(notice, {
              status: 'dead',
              last_error: `gave up after ${notice.attempts} attempts: ${failure.reason}`,
            });
          }
          return outbox.record(notice, {
            status: 'deferred',
            next_attempt_at: new Date(
              this.deps.clock.now().getTime() + retryDelayMs(notice.attempts),
            ).toISOString(),
            last_error: failure.reason,
          });
      }
    }
  }

  /** Hands a claimed notice back untouched, as if it had never been claimed. */
  private async release(notice: NoticeRow, owner: string): Promise<void> {
    await this.deps.uow.repos.notices.release(notice.id, owner, notice.attempts - 1, null);
  }

  /**
   * A worker: sends, then waits for the next notice to come due (backoff, pace, another worker's
   * lease) and sends again, until every approved notice is final. Several can run on one plan: while
   * another holds notices under its lease, this one looks again every `pollMs` instead of waiting
   * for the lease to end, so it stops (or takes over what the other gave back) soon after.
   */
  async work(
    incidentId: string,
    options: SendOptions & { wait: (ms: number) => Promise<void>; maxWaitMs?: number; pollMs?: number },
  ): Promise<SendResult> {
    const total: SendResult = { sent: 0, deferred: 0, failed: 0, dead: 0, paced: 0 };
    for (;;) {
      const result = await this.send(incidentId, options);
      for (const key of Object.keys(total) as (keyof SendResult)[]) total[key] += result[key];
      const pending = await this.deps.uow.repos.notices.pending(incidentId);
      if (Number(pending.n) === 0) return total;
      const nextAt = pending.nextAt ? Date.parse(pending.nextAt) : 0;
      const waitMs = Math.min(
        Math.max(nextAt - this.deps.clock.now().getTime(), 250),
        Number(pending.leased) > 0 ? (options.pollMs ?? 2_000) : (options.maxWaitMs ?? 60_000),
      );
      await options.wait(waitMs);
    }
  }

  /**
   * Reads bounces (RFC 3464 DSNs, and common non-standard ones) from a folder of .eml files and
   * marks the notices they report on bounced, with the reason. Delays and successes change nothing.
   */
  async recordBounces(incidentId: string, folder: string): Promise<BounceResult> {
    await this.deps.incidents.get(incidentId);
    const result: BounceResult = {
      files: 0,
      bounced: 0,
      delayed: 0,
      ignored: 0,
      unmatched: 0,
      unreadable: 0,
    };
    for await (const file of readEmlFolder(folder)) {
      result.files += 1;
      if ('error' in file) result.unreadable += 1;
      else result[(await this.applyBounce(file.raw, incidentId)).outcome] += 1;
    }
    await this.deps.uow.transaction((repos) =>
      recordAudit(repos, this.deps, 'notices.bounces', incidentId, { folder, ...result }),
    );
    return result;
  }

  /**
   * One bounce message as it arrived (the inbound listener hands them over one by one): a permanent
   * failure marks the notice it reports on bounced, found by Message-ID in whichever incident.
   */
  async recordBounce(raw: Buffer): Promise<BounceHandled> {
    const handled = await this.applyBounce(raw, null);
    if (handled.outcome === 'bounced') {
      await this.deps.uow.transaction((repos) =>
        recordAudit(repos, this.deps, 'notices.bounce', handled.incidentId, {
          noticeId: handled.noticeId,
          source: 'inbound',
        }),
      );
    }
    return handled;
  }

  private async applyBounce(raw: Buffer, incidentId: string | null): Promise<BounceHandled> {
    const report = parseDeliveryReport(raw);
    const messageId = report?.originalMessageId ?? null;
    const found = messageId ? await this.deps.uow.repos.notices.findByMessageId(messageId) : undefined;
    const notice = found && (incidentId === null || found.incident_id === incidentId) ? found : undefined;
    const about = { incidentId: notice?.incident_id ?? null, noticeId: notice?.id ?? null };
    const outcome = report ? bounceOutcome(report) : null;
    if (!outcome || outcome.kind === 'ignored') return { outcome: 'ignored', ...about };
    if (outcome.kind === 'delayed') return { outcome: 'delayed', ...about };
    const bounced =
      notice !== undefined &&
      messageId !== null &&
      (await this.markBounced(notice.incident_id, messageId, outcome.reason));
    return { outcome: bounced ? 'bounced' : 'unmatched', ...about };
  }

  private markBounced(incidentId: string, messageId: string, reason: string): Promise<boolean> {
    return this.deps.uow.repos.notices.markBounced(
      incidentId,
      messageId,
      reason,
      this.deps.clock.now().toISOString(),
    );
  }

  private async createPace(incidentId: string, settings: PaceSettings): Promise<SendPace> {
    const firstSent = settings.warmup ? await this.deps.uow.repos.notices.firstSentAt(incidentId) : null;
    const startedAt = firstSent ? Date.parse(firstSent) : this.deps.clock.now().getTime();
    return createSendPace({
      globalPerHour: settings.globalPerHour,
      perDomainPerHour: settings.perDomainPerHour,
      warmup: settings.warmup ? { ...settings.warmup, startedAt } : undefined,
    });
  }

  /** When the pace says not yet: the moment it allows, as an ISO time; otherwise null. */
  private paceFor(notice: NoticeRow, pace: SendPace | undefined): string | null {
    if (!pace) return null;
    const decision = pace.reserve(notice.recipient_domain, this.deps.clock.now().getTime());
    return decision.ok ? null : new Date(decision.retryAt).toISOString();
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  private leaseEnd(leaseMs: number): string {
    return new Date(this.deps.clock.now().getTime() + leaseMs).toISOString();
  }
}
