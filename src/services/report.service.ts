import { createHash } from 'node:crypto';
import type { Clock } from '../adapters/clock.js';
import type { PdfPrinter } from '../adapters/pdf-printer.js';
import type { CompanyConfig } from '../config.js';
import {
  buildIncidentReport,
  NOTICE_STATUSES,
  type IncidentReport,
  type ReportIncident,
  type ReportNoticeStatus,
} from '../core/incident-report.js';
import { buildRegulatorSummary, type RegulatorSummary } from '../core/regulator-summary.js';
import { renderReportHtml } from '../core/report-html.js';
import { renderReportMarkdown } from '../core/report-markdown.js';
import type { UnitOfWork } from '../db/repositories.js';
import { recordAudit } from './audit.js';
import type { Caller } from './caller.js';
import type { ExportFile } from './export.service.js';
import type { DatasetService } from './dataset.service.js';
import type { ImpactService } from './impact.service.js';
import type { Incident, IncidentService } from './incident.service.js';
import type { AssessInput, ObligationService } from './obligation.service.js';

export const REPORT_FORMATS = ['md', 'html', 'pdf', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What the tool cannot know for a regulator summary; absent means "to be completed". */
export interface RegulatorText {
  consequences?: string | undefined;
  measures?: string | undefined;
}

/** The incident's facts for the obligations section; absent ones take the cautious default. */
export type ReportFacts = Pick<AssessInput, 'encrypted' | 'unauthorized' | 'timeZone'>;

export interface ExportRequest extends RegulatorText {
  format: ReportFormat;
  /** The GDPR Art. 33(3) summary instead of the full incident report. */
  regulator?: boolean | undefined;
  facts?: ReportFacts | undefined;
}

export interface ExportedReport {
  format: ReportFormat;
  mediaType: string;
  content: string | Uint8Array;
}

const MEDIA_TYPES: Record<ReportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  json: 'application/json',
};

const LARGEST_ORGANIZATIONS = 10;

export class ReportService {
  constructor(
    private readonly deps: {
      uow: UnitOfWork;
      clock: Clock;
      actor: string;
      company: CompanyConfig;
      incidents: IncidentService;
      impact: ImpactService;
      datasets: DatasetService;
      obligations: ObligationService;
      printer: PdfPrinter;
    },
  ) {}

  /** The report in one format, audited by kind, format and digest (never its content). */
  async export(incidentId: string, request: ExportRequest, actor = this.deps.actor): Promise<ExportedReport> {
    const document = request.regulator
      ? await this.regulatorSummary(incidentId, request)
      : await this.build(incidentId, request.facts);
    const content = await this.render(document, request.format);
    await this.deps.uow.transaction((repos) =>
      recordAudit(repos, { actor, clock: this.deps.clock }, 'report.export', incidentId, {
        kind: document.kind,
        format: request.format,
        sha256: createHash('sha256').update(content).digest('hex'),
      }),
    );
    return { format: request.format, mediaType: MEDIA_TYPES[request.format], content };
  }

  async build(incidentId: string, facts: ReportFacts = {}): Promise<IncidentReport> {
    const incident = await this.deps.incidents.get(incidentId);
    const impact = await this.deps.impact.analyze(incidentId);
    // Facts not given take the cautious defaults: unauthorized access, not encrypted, UTC.
    const obligations = await this.deps.obligations.assess(incidentId, facts);
    const { repos } = this.deps.uow;
    const [countries, organizationSizes, largest, datasets, notices, timeline, decisions] = await Promise.all(
      [
        repos.impact.peopleByCountry(incidentId),
        repos.impact.organizationSizes(incidentId),
        repos.impact.largestOrganizations(incidentId, LARGEST_ORGANIZATIONS),
        this.deps.datasets.list(incidentId),
        this.noticeCounts(incidentId),
        this.deps.incidents.timeline(incidentId),
        this.deps.incidents.decisions(incidentId),
      ],
    );
    return buildIncidentReport({
      generatedAt: this.deps.clock.now().toISOString(),
      company: this.deps.company,
      incident: reportIncident(incident),
      impact,
      organizationSizes: organizationSizes.map((row) => ({
        members: Number(row.members),
        organizations: Number(row.organizations),
      })),
      largestOrganizations: largest.map((row) => ({ name: row.name, impactedMembers: Number(row.members) })),
      datasets,
      notices,
      timeline,
      decisions,
      obligations,
      peopleByCountry: countries.map((row) => ({ country: row.country, people: Number(row.people) })),
    });
  }

  async regulatorSummary(incidentId: string, text: RegulatorText = {}): Promise<RegulatorSummary> {
    const incident = await this.deps.incidents.get(incidentId);
    const impact = await this.deps.impact.analyze(incidentId);
    const [notices, decisions, timeline] = await Promise.all([
      this.noticeCounts(incidentId),
      this.deps.incidents.decisions(incidentId),
      this.deps.incidents.timeline(incidentId),
    ]);
    return buildRegulatorSummary({
      generatedAt: this.deps.clock.now().toISOString(),
      company: this.deps.company,
      incident: reportIncident(incident),
      impact,
      notices,
      consequences: text.consequences ?? null,
      measures: text.measures ?? null,
      decisions,
      timeline,
    });
  }

  private async render(
    document: IncidentReport | RegulatorSummary,
    format: ReportFormat,
  ): Promise<string | Uint8Array> {
    switch (format) {
      case 'md':
        return renderReportMarkdown(document);
      case 'json':
        return `${JSON.stringify(document, null, 2)}\n`;
      case 'html':
        return renderReportHtml(document);
      case 'pdf':
        return this.deps.printer.print(renderReportHtml(document));
    }
  }

  /** Counts by status only: failure details can quote a recipient's address. */
  private async noticeCounts(incidentId: string): Promise<Record<ReportNoticeStatus, number>> {
    const rows = await this.deps.uow.repos.notices.statusCounts(incidentId);
    const counts = Object.fromEntries(NOTICE_STATUSES.map((status) => [status, 0])) as Record<
      ReportNoticeStatus,
      number
    >;
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }

  /**
   * The report as a downloadable file, audited under the caller's name. It holds counts,
   * categories and hashes only, so every role may have it.
   */
  async file(incidentId: string, format: 'md' | 'json', caller: Caller): Promise<ExportFile> {
    const report = await this.export(incidentId, { format }, caller.actor);
    return {
      fileName: `${incidentId}-report.${format}`,
      contentType: report.mediaType,
      lines: [typeof report.content === 'string' ? report.content : Buffer.from(report.content).toString()],
    };
  }
}

function reportIncident(incident: Incident): ReportIncident {
  return {
    id: incident.id,
    title: incident.title,
    vendor: incident.vendorName,
    status: incident.status,
    openedAt: incident.openedAt,
    awareAt: incident.awareAt,
    exposed: incident.exposed,
    notExposed: incident.notExposed,
  };
}
