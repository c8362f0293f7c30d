import type { NoticeRow } from '../db/notice.repository.js';
import type { UnitOfWork } from '../db/repositories.js';

/**
 * A claimed notice with its sealed body (null once purged), and when (our clock, ms) its lease was
 * last taken or renewed.
 */
export type ClaimedNotice = NoticeRow & {
  text_sealed: string | null;
  html_sealed: string | null;
  leasedAt: number;
};

export type FinalStatus = 'sent' | 'failed' | 'dead' | 'deferred';

export interface NoticeResult {
  status: FinalStatus;
  sent_at?: string;
  next_attempt_at?: string;
  last_error: string | null;
}

export interface ClaimQueueOptions {
  incidentId: string;
  owner: string;
  /** Notices claimed at a time; the next batch is claimed once the queue is empty. */
  batch: number;
  /** The moment of a claim and the end of the lease it takes. */
  claim: () => { now: string; leaseUntil: string };
  /** Called once per result written under our lease; a result the lease no longer covered is dropped. */
  counted: (status: FinalStatus) => void;
}

/**
 * One sending pass's view of the outbox: notices claimed in batches, handed to lanes one at a time,
 * and their results written back in one transaction per batch. Before each claim the results so
 * far are written, so at most two batches are ever claimed and unrecorded: the in-flight bound.
 */
export class ClaimQueue {
  private readonly queue: ClaimedNotice[] = [];
  private readonly results: { notice: ClaimedNotice; result: NoticeResult }[] = [];
  private exhausted = false;
  private claiming: Promise<void> | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly options: ClaimQueueOptions,
  ) {}

  /** The next claimed notice, claiming a batch when none is left; undefined once none is due. */
  async next(stop: { reason: string | null }): Promise<ClaimedNotice | undefined> {
    for (;;) {
      if (stop.reason !== null) return undefined;
      const notice = this.queue.shift();
      if (notice) return notice;
      if (this.exhausted) return undefined;
      this.claiming ??= this.claimBatch().finally(() => (this.claiming = null));
      await this.claiming;
    }
  }

  /** Notices claimed but never handed out, when a pass stops early. */
  unsent(): ClaimedNotice[] {
    return this.queue.splice(0);
  }

  /**
   * Whether the notice may still be sent by us. A lease taken within the last tenth of its length
   * is trusted as it is; an older one is renewed first, and false means another worker reclaimed
   * the notice meanwhile, which must then not be sent by us.
   */
  async holdLease(notice: ClaimedNotice, nowMs: number, leaseMs: number): Promise<boolean> {
    if (nowMs - notice.leasedAt < leaseMs / 10) return true;
    const leaseUntil = new Date(nowMs + leaseMs).toISOString();
    if (!(await this.uow.repos.notices.renewLease(notice.id, this.options.owner, leaseUntil))) return false;
    notice.leasedAt = nowMs;
    return true;
  }

  /** Queues a notice's result for the next batched write. */
  async record(notice: ClaimedNotice, result: NoticeResult): Promise<'recorded'> {
    this.results.push({ notice, result });
    if (this.results.length >= this.options.batch) await this.flush();
    return 'recorded';
  }

  /** Writes every queued result, each only while the notice's lease is still ours. */
  flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const batch = this.results.splice(0);
      if (batch.length === 0) return;
      const written = await this.uow.transaction(async (repos) => {
        const statuses: FinalStatus[] = [];
        for (const { notice, result } of batch) {
          if (await repos.notices.finish(notice.id, this.options.owner, result)) statuses.push(result.status);
        }
        return statuses;
      });
      for (const status of written) this.options.counted(status);
    });
    return this.writing;
  }

  private async claimBatch(): Promise<void> {
    await this.flush();
    const { now, leaseUntil } = this.options.claim();
    const rows = await this.uow.repos.notices.claim(
      this.options.incidentId,
      this.options.owner,
      now,
      leaseUntil,
      this.options.batch,
    );
    if (rows.length === 0) return void (this.exhausted = true);
    const bodies = new Map(
      (await this.uow.repos.notices.bodies(rows.map((row) => row.id))).map((body) => [body.notice_id, body]),
    );
    const leasedAt = Date.parse(now);
    for (const row of rows) {
      const body = bodies.get(row.id);
      this.queue.push({
        ...row,
        text_sealed: body?.text_sealed ?? null,
        html_sealed: body?.html_sealed ?? null,
        leasedAt,
      });
    }
  }
}
