import type { UnitOfWork } from '../db/repositories.js';
import type { IncidentService } from './incident.service.js';

/** Reads the audit trail, newest first, a page at a time. Entries hold ids and counts, never values. */
export class AuditLogService {
  constructor(private readonly deps: { uow: UnitOfWork; incidents: IncidentService }) {}

  async list(options: {
    incidentId?: string | undefined;
    before?: number | undefined;
    limit?: number | undefined;
  }) {
    if (options.incidentId !== undefined) await this.deps.incidents.get(options.incidentId);
    const rows = await this.deps.uow.repos.audit.newestFirst({
      incidentId: options.incidentId,
      beforeId: options.before,
      limit: Math.min(options.limit ?? 100, 500),
    });
    return rows.map((row) => ({
      id: Number(row.id),
      at: row.at,
      actor: row.actor,
      action: row.action,
      incidentId: row.incident_id,
      detail: JSON.parse(row.detail) as unknown,
    }));
  }
}
