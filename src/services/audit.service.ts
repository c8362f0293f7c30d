import { verifyAuditChain, type ChainEntry, type ChainHead, type ChainVerdict } from '../core/audit-chain.js';
import type { AuditEntryRow } from '../db/audit.repository.js';
import { recordAudit } from './audit.js';
import type { IncidentService } from './incident.service.js';
import type { ServiceDeps } from './service-deps.js';

const PAGE = 1000;

export interface AuditServiceDeps extends Pick<ServiceDeps, 'uow' | 'clock' | 'actor'> {
  incidents: IncidentService;
}

/** One entry as exported: `detail` parsed; the hash covers its stored JSON text. */
export interface AuditLine {
  id: number;
  at: string;
  actor: string;
  action: string;
  incidentId: string | null;
  detail: unknown;
  prevHash: string;
  hash: string;
}

/** The audit log: checking its hash chain, exporting it, and reading it page by page. */
export class AuditService {
  constructor(private readonly deps: AuditServiceDeps) {}

  /**
   * Reads the whole chain in id order and checks every link, the recorded head, and any anchors:
   * heads noted outside the database earlier.
   */
  async verify({ anchors = [] }: { anchors?: readonly ChainHead[] } = {}): Promise<ChainVerdict> {
    const { audit } = this.deps.uow.repos;
    const head = await audit.head();
    const entries: ChainEntry[] = [];
    for (let page = await audit.page(0, PAGE, null); page.length > 0;) {
      for (const row of page) entries.push({ ...row, id: Number(row.id) });
      page = await audit.page(Number(page[page.length - 1]!.id), PAGE, null);
    }
    return verifyAuditChain(entries, head, anchors);
  }

  /**
   * Every entry in id order, all of the log or one incident's, a page at a time. The export is
   * itself recorded first, so it appears as the last line of a full export.
   */
  async *export({ incidentId = null }: { incidentId?: string | null } = {}): AsyncGenerator<AuditLine> {
    if (incidentId !== null) await this.deps.incidents.get(incidentId);
    await this.deps.uow.transaction((repos) =>
      recordAudit(repos, this.deps, 'audit.export', incidentId, { scope: incidentId ?? 'all' }),
    );
    let after = 0;
    for (;;) {
      const page = await this.deps.uow.repos.audit.page(after, PAGE, incidentId);
      if (page.length === 0) return;
      for (const row of page) yield toAuditLine(row);
      after = Number(page[page.length - 1]!.id);
    }
  }

  /** The newest entries first, a page at a time (keyset: `before` an id), of all or one incident. */
  async recent(options: {
    incidentId?: string | undefined;
    before?: number | undefined;
    limit?: number | undefined;
  }): Promise<AuditLine[]> {
    if (options.incidentId !== undefined) await this.deps.incidents.get(options.incidentId);
    const rows = await this.deps.uow.repos.audit.newestFirst({
      incidentId: options.incidentId,
      beforeId: options.before,
      limit: Math.min(options.limit ?? 100, 500),
    });
    return rows.map(toAuditLine);
  }

  /** One incident's entries, oldest first. */
  async list(incidentId: string): Promise<AuditLine[]> {
    await this.deps.incidents.get(incidentId);
    const rows = await this.deps.uow.repos.audit.listForIncident(incidentId);
    return rows.map(toAuditLine);
  }
}

function toAuditLine(row: AuditEntryRow): AuditLine {
  return {
    id: Number(row.id),
    at: row.at,
    actor: row.actor,
    action: row.action,
    incidentId: row.incident_id,
    detail: parseDetail(row.detail),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** A detail someone broke by hand is exported as the text it is, not dropped. */
function parseDetail(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
