import type { NoticeResult as NoticeResultRow, NoticeRow } from '../db/notice.repository.js';
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
 * One sending pass's view of the outbox: notices claimed in batches and handed to lanes one at a
 * time. Results wait in memory and are written by the transaction that claims the next batch (one
 * UPDATE for all of them, then the claim), so at most two batches are ever claimed and
 * unrecorded: the in-flight bound. The pass's last results are written by `flush`.
 */
export class ClaimQueue {
  private readonly queue: ClaimedNotice[] = [];
  private readonly results: NoticeResultRow[] = [];
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

  /** Keeps a notice's result for the next write. */
  record(notice: ClaimedNotice, result: NoticeResult): 'recorded' {
    this.results.push({ id: notice.id, ...result });
    return 'recorded';
  }

  /** Writes every kept result, each only while the notice's lease is still ours. */
  flush(): Promise<void> {
    return this.serially(async () => {
      const batch = this.results.splice(0);
      if (batch.length > 0) this.count(await this.uow.repos.notices.finishAll(this.options.owner, batch));
    });
  }

  private claimBatch(): Promise<void> {
    return this.serially(async () => {
      const batch = this.results.splice(0);
      const { now, leaseUntil } = this.options.claim();
      const claimed = this.uow.transaction(async (repos) => {
        const written = await repos.notices.finishAll(this.options.owner, batch);
        const rows = await repos.notices.claim(
          this.options.incidentId,
          this.options.owner,
          now,
          leaseUntil,
          this.options.batch,
        );
        const bodies = rows.length > 0 ? await repos.notices.bodies(rows.map((row) => row.id)) : [];
        return { written, rows, bodies };
      });
      // Rolled back: the results were not written, so they wait for the next write again.
      const { written, rows, bodies } = await claimed.catch((error: unknown) => {
        this.results.unshift(...batch);
        throw error;
      });
      this.count(written);
      if (rows.length === 0) return void (this.exhausted = true);
      const byNotice = new Map(bodies.map((body) => [body.notice_id, body]));
      const leasedAt = Date.parse(now);
      for (const row of rows) {
        const body = byNotice.get(row.id);
        this.queue.push({
          ...row,
          text_sealed: body?.text_sealed ?? null,
          html_sealed: body?.html_sealed ?? null,
          leasedAt,
        });
      }
    });
  }

  /** Writes happen one after another, in the order asked for. */
  private serially(work: () => Promise<void>): Promise<void> {
    // A failed write is its caller's error; it must not stop the writes after it.
    this.writing = this.writing.catch(() => undefined).then(work);
    return this.writing;
  }

  private count(written: { status: string }[]): void {
    for (const { status } of written) this.options.counted(status as FinalStatus);
  }
}
