import type { Clock } from '../adapters/clock.js';
import type { UnitOfWork } from '../db/repositories.js';
import { recordAudit } from './audit.js';
import type { Caller } from './caller.js';
import type { ExportFile } from './export.service.js';
import { renderReportMarkdown } from './report-markdown.js';
import type { DatasetService } from './dataset.service.js';
import type { ImpactService, ImpactSummary } from './impact.service.js';
import type { Incident, IncidentService } from './incident.service.js';
import type { NoticeService } from './notice.service.js';

export interface IncidentReport {
  generatedAt: string;
  incident: Incident;
  impact: ImpactSummary;
  datasets: Awaited<ReturnType<DatasetService['list']>>;
  notices: Awaited<ReturnType<NoticeService['status']>>;
  audit: { at: string; actor: string; action: string; detail: unknown }[];
}

export class ReportService {
  constructor(
    private readonly deps: {
      uow: UnitOfWork;
      clock: Clock;
      actor: string;
      incidents: IncidentService;
      impact: ImpactService;
      notices: NoticeService;
      datasets: DatasetService;
    },
  ) {}

  async build(incidentId: string, caller: Caller): Promise<IncidentReport> {
    const incident = await this.deps.incidents.get(incidentId);
    await this.deps.uow.transaction((repos) =>
      recordAudit(repos, this.deps, 'report.export', incidentId, { role: caller.role }),
    );
    const impact = await this.deps.impact.analyze(incidentId);
    const [datasets, notices, audit] = await Promise.all([
      this.deps.datasets.list(incidentId),
      this.deps.notices.status(incidentId, caller),
      this.deps.uow.repos.audit.listForIncident(incidentId),
    ]);
    return {
      generatedAt: this.deps.clock.now().toISOString(),
      incident,
      impact,
      datasets,
      notices,
      audit: audit.map((entry) => ({
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        detail: JSON.parse(entry.detail) as unknown,
      })),
    };
  }

  /** The report as a downloadable file (an export, so an audit entry like any other). */
  async file(incidentId: string, format: 'md' | 'json', caller: Caller): Promise<ExportFile> {
    const report = await this.build(incidentId, caller);
    const text = format === 'md' ? renderReportMarkdown(report) : `${JSON.stringify(report, null, 2)}\n`;
    return {
      fileName: `${incidentId}-report.${format}`,
      contentType: format === 'md' ? 'text/markdown; charset=utf-8' : 'application/json; charset=utf-8',
      lines: [text],
    };
  }
}
