import {
  assumedFacts,
  deadlineText,
  summaryRows,
  type Chart,
  type IncidentReport,
  type ReportObligations,
} from './incident-report.js';
import type { Completable, RegulatorSummary } from './regulator-summary.js';

/** Markdown text: pipes, newlines and markup in file names or titles must neither break nor inject. */
function md(value: string | number | null): string {
  return String(value ?? '')
    .replace(/[\r\n]+/g, ' ')
    .replace(/([|\\`*_[\]<>#!])/g, '\\$1');
}

function table(headers: string[], rows: (string | number | null)[][]): string[] {
  if (rows.length === 0) return ['None.'];
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(md).join(' | ')} |`),
  ];
}

function chartTable(chart: Chart): string[] {
  return [
    `**${md(chart.title)}**`,
    '',
    ...table(
      ['', chart.unit],
      chart.bars.map((bar) => [bar.label, bar.value]),
    ),
  ];
}

function completable(item: Completable): string {
  return item.status === 'provided'
    ? `${md(item.text)} _(from the ${md(item.source)})_`
    : '**To be completed.**';
}

export function renderReportMarkdown(document: IncidentReport | RegulatorSummary): string {
  const lines = document.kind === 'incident-report' ? incidentReport(document) : regulatorSummary(document);
  return `${lines.join('\n')}\n`;
}

function incidentReport(report: IncidentReport): string[] {
  const { incident, summary } = report;
  const lines = [
    `# Incident report: ${md(incident.title)}`,
    '',
    `${md(report.company)} · incident \`${incident.id}\` · vendor ${md(incident.vendor)} · ${md(incident.status)} · opened ${incident.openedAt}` +
      (incident.awareAt ? ` · aware ${incident.awareAt}` : ''),
    `Generated ${report.generatedAt}.`,
    '',
    '## Summary',
    '',
    ...table(['measure', 'count'], summaryRows(summary)),
    '',
    `Exposed: ${summary.exposedCategories.join(', ') || 'none found'}. ` +
      `Confirmed not exposed: ${incident.notExposed.join(', ') || 'none recorded'}.`,
    '',
    '## Timeline',
    '',
    ...table(
      ['at', 'event', 'note', 'source', 'recorded by'],
      report.timeline.map((event) => [event.at, event.event, event.note, event.source, event.recordedBy]),
    ),
    '',
    '## Impact',
    '',
    ...chartTable(report.impact.byCategory),
    '',
    ...(report.impact.byCountry ? [...chartTable(report.impact.byCountry), ''] : []),
    ...chartTable(report.impact.organizationsBySize),
    '',
    '**Largest impacted organizations**',
    '',
    ...table(
      ['organization', 'impacted members'],
      report.impact.largestOrganizations.map((org) => [org.name, org.impactedMembers]),
    ),
    '',
    '## Datasets (chain of custody)',
    '',
    ...table(
      ['file', 'bytes', 'sha256', 'format', 'read', 'valid', 'quarantined', 'imported'],
      report.datasets.map((d) => [
        d.fileName,
        d.sizeBytes,
        d.sha256,
        `${d.format} ${d.layout}/${d.compression} (importer ${d.importerVersion})`,
        d.rowsRead,
        d.rowsValid,
        d.rowsQuarantined,
        `${d.importedAt} by ${d.importedBy}`,
      ]),
    ),
    '',
    '## Notices and delivery',
    '',
    ...table(
      ['status', 'notices'],
      Object.entries(report.notices.byStatus).map(([status, count]) => [status, count]),
    ),
    '',
  ];
  if (report.obligations) {
    lines.push('## Obligations and deadlines', '', ...obligations(report.obligations), '');
  }
  lines.push(
    '## Decisions',
    '',
    ...table(
      ['at', 'by', 'decision', 'reason'],
      report.decisions.map((d) => [d.at, d.by, d.decision, d.reason]),
    ),
    '',
  );
  return lines;
}

function obligations(assessment: ReportObligations): string[] {
  const lines = [
    `${md(assumedFacts(assessment))} ${md(assessment.disclaimer)}`,
    '',
    ...assessment.warnings.map((warning) => `- Warning: ${md(warning)}`),
    ...(assessment.warnings.length > 0 ? [''] : []),
    ...table(
      ['jurisdiction', 'status', 'affected / located', 'deadline', 'clock'],
      assessment.jurisdictions.map((o) => [
        o.name,
        o.status.replace('_', ' '),
        `${o.affected} / ${o.residents}`,
        deadlineText(o.deadline, false),
        o.countdown ?? '',
      ]),
    ),
  ];
  for (const o of assessment.jurisdictions.filter((item) => item.status !== 'not_required')) {
    lines.push(
      '',
      `### ${md(o.name)} (${md(o.citation)})`,
      '',
      ...o.reasons.map((reason) => `- ${md(reason)}`),
      '',
      ...table(
        ['tell', 'status', 'deadline'],
        o.notifications.map((n) => [n.to, n.status.replace('_', ' '), deadlineText(n.deadline, true)]),
      ),
      '',
      ...o.checklist.map((item) => `- [ ] ${md(item)}`),
    );
  }
  return lines;
}

function regulatorSummary(summary: RegulatorSummary): string[] {
  const { incident, nature, contact, measures } = summary;
  return [
    `# Personal data breach notification (GDPR Art. 33)`,
    '',
    `Controller ${md(summary.controller)} · incident \`${incident.id}\` · opened ${incident.openedAt}` +
      (incident.awareAt ? ` · aware ${incident.awareAt}` : ''),
    `Generated ${summary.generatedAt}.`,
    '',
    '## (a) Nature of the breach',
    '',
    md(nature.description),
    '',
    `Approximate number of data subjects concerned: ${nature.approximateDataSubjects}.`,
    `Approximate number of personal data records concerned: ${nature.approximateRecords}.`,
    '',
    ...table(
      ['categories of data subjects', 'people'],
      nature.dataSubjectCategories.map((row) => [row.label, row.people]),
    ),
    '',
    ...table(
      ['categories of personal data', 'people'],
      nature.dataCategories.map((row) => [row.description, row.people]),
    ),
    '',
    `Confirmed not exposed: ${nature.notExposed.join(', ') || 'none recorded'}.`,
    '',
    '## (b) Data protection officer or contact point',
    '',
    `- Name: ${completable(contact.name)}`,
    `- Email: ${md(contact.email)}`,
    ...(contact.phone ? [`- Phone: ${md(contact.phone)}`] : []),
    ...(contact.url ? [`- Web: ${md(contact.url)}`] : []),
    '',
    '## (c) Likely consequences',
    '',
    completable(summary.consequences),
    '',
    '## (d) Measures taken or proposed',
    '',
    ...(measures.status === 'to be completed'
      ? ['**To be completed.**']
      : measures.entries.map(
          (entry) => `- ${entry.at ? `${entry.at}: ` : ''}${md(entry.text)} _(from the ${entry.source})_`,
        )),
    '',
    `Direct notice to the people concerned: ${measures.notification.planned} notices planned for ` +
      `${measures.notification.recipients} recipients, ${measures.notification.sent} sent, ` +
      `${measures.notification.undeliverable} undeliverable.`,
    '',
  ];
}
