import type { Clock } from '../adapters/clock.js';
import type { Ids } from '../adapters/ids.js';
import type { MailSender } from '../adapters/smtp-sender.js';
import { UserError } from '../core/errors.js';
import { classifySendError, retryDelayMs } from '../core/smtp-outcome.js';
import type { CompanyConfig } from '../config.js';
import type { UnitOfWork } from '../db/repositories.js';
import type { NoticeRow } from '../db/notice.repository.js';
import { recordAudit } from './audit.js';
import type { IncidentService } from './incident.service.js';

export interface DeliveryServiceDeps {
  uow: UnitOfWork;
  clock: Clock;
  ids: Ids;
  actor: string;
  company: CompanyConfig;
  incidents: IncidentService;
}

export interface SendOptions {
  sender: MailSender;
  batchSize?: number;
  concurrency?: number;
  leaseMs?: number;
  maxAttempts?: number;
}

export interface SendResult {
  sent: number;
  deferred: number;
  failed: number;
  dead: number;
}

/**
 * Drains the outbox: claim a batch under a lease, send, record each result in the notice's row.
 * A crash leaves at most the claimed batch in `sending`; its lease runs out and the next run resends
 * those with the same Message-ID.
 */
export class DeliveryService {
  constructor(private readonly deps: DeliveryServiceDeps) {}

  async send(incidentId: string, options: SendOptions): Promise<SendResult> {
    await this.deps.incidents.get(incidentId);
    const { notices } = this.deps.uow.repos;
    const planned = await notices.countForIncident(incidentId);
    if (Number(planned.n) === 0)
      throw new UserError(`incident ${incidentId} has no planned notices: run notices plan first`);
    const { batchSize = 200, concurrency = 4, leaseMs = 120_000, maxAttempts = 5 } = options;
    const owner = this.deps.ids.next('wrk');
    const result: SendResult = { sent: 0, deferred: 0, failed: 0, dead: 0 };
    for (;;) {
      const now = this.deps.clock.now();
      const batch = await notices.claim(
        incidentId,
        owner,
        now.toISOString(),
        new Date(now.getTime() + leaseMs).toISOString(),
        batchSize,
      );
      if (batch.length === 0) break;
      await inParallel(batch, concurrency, async (notice) => {
        const outcome = await this.deliver(notice, owner, options.sender, maxAttempts);
        result[outcome] += 1;
      });
    }
    await this.deps.uow.transaction((repos) =>
      recordAudit(repos, this.deps, 'notices.send', incidentId, { ...result }),
    );
    return result;
  }

  private async deliver(
    notice: NoticeRow,
    owner: string,
    sender: MailSender,
    maxAttempts: number,
  ): Promise<keyof SendResult> {
    const { notices } = this.deps.uow.repos;
    const { company } = this.deps;
    try {
      await sender.send({
        from: { name: company.fromName, address: company.fromAddress },
        to: notice.recipient,
        subject: notice.subject,
        text: notice.text_body,
        html: notice.html_body,
        messageId: notice.message_id,
        headers: { 'X-Breachdesk-Reference': notice.reference_code },
      });
      await notices.finish(notice.id, owner, {
        status: 'sent',
        sent_at: this.deps.clock.now().toISOString(),
      });
      return 'sent';
    } catch (error) {
      const failure = classifySendError(error);
      if (failure.kind === 'permanent') {
        await notices.finish(notice.id, owner, { status: 'failed', last_error: failure.reason });
        return 'failed';
      }
      if (notice.attempts >= maxAttempts) {
        await notices.finish(notice.id, owner, {
          status: 'dead',
          last_error: `gave up after ${notice.attempts} attempts: ${failure.reason}`,
        });
        return 'dead';
      }
      const retryAt = new Date(this.deps.clock.now().getTime() + retryDelayMs(notice.attempts)).toISOString();
      await notices.finish(notice.id, owner, {
        status: 'deferred',
        next_attempt_at: retryAt,
        last_error: failure.reason,
      });
      return 'deferred';
    }
  }
}

async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}
