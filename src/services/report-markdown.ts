import { CATEGORIES, CATEGORY_LABELS } from '../core/categories.js';
import type { IncidentReport } from './report.service.js';

/** Markdown table cells: pipes and newlines in file names or titles must not break the table. */
function cell(value: string | number | null): string {
  return String(value ?? '')
    .replace(/[\r\n]+/g, ' ')
    .replace(/([|\\`*_[\]<>])/g, '\\$1');
}

function table(headers: string[], rows: (string | number | null)[][]): string[] {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
}

const STATUS_WORDS = { required: 'required', judgement_call: 'judgement call', not_required: 'not required' };

/** The deadline clock: each jurisdiction's status and earliest deadline, counted down. */
function obligationLines({ obligations }: IncidentReport): string[] {
  return [
    `## Obligations (${obligations.disclaimer.replace(/\.$/, '').toLowerCase()})`,
    '',
    `Rules ${obligations.ruleVersion}, counted from awareness at ${obligations.awareAt}, clock at ${obligations.now}; ` +
      'assumed unauthorized access to unencrypted data: `breachdesk obligations` takes other facts.',
    '',
    ...table(
      ['jurisdiction', 'status', 'affected / located', 'deadline', 'clock'],
      obligations.obligations.map((o) => [
        o.name,
        STATUS_WORDS[o.status],
        `${o.affected} / ${o.residents}`,
        o.deadline === null ? '' : (o.deadline.local ?? o.deadline.rule),
        o.countdown ?? '',
      ]),
    ),
    '',
    ...obligations.warnings.flatMap((warning) => [`Warning: ${cell(warning)}`, '']),
  ];
}

export function renderReportMarkdown(report: IncidentReport): string {
  const { incident, impact, notices } = report;
  const exposedPeople = CATEGORIES.filter((category) => impact.categories[category] > 0);
  const lines = [
    `# Incident report: ${cell(incident.title)}`,
    '',
    `Incident \`${incident.id}\` · vendor ${cell(incident.vendorName)} · opened ${incident.openedAt}` +
      (incident.awareAt ? ` · aware ${incident.awareAt}` : ''),
    `Generated ${report.generatedAt}.`,
    '',
    '## Summary',
    '',
    ...table(
      ['measure', 'count'],
      [
        ['records read', impact.records.read],
        ['records valid', impact.records.valid],
        ['records quarantined', impact.records.quarantined],
        ['people', impact.people.total],
        ['— matched to an account', impact.people.matched],
        ['— unmatched, contactable', impact.people.unmatchedContactable],
        ['— uncontactable', impact.people.uncontactable],
        ['impacted organizations', impact.organizations],
        ['— without an active admin to tell', impact.organizationsWithoutAdmin],
        ['admin recipients', impact.adminRecipients],
        ['notice recipients', impact.recipients],
      ],
    ),
    '',
    '## Exposed categories (people)',
    '',
    ...table(
      ['category', 'meaning', 'people'],
      exposedPeople.map((category) => [category, CATEGORY_LABELS[category], impact.categories[category]]),
    ),
    '',
    `Confirmed not exposed: ${incident.notExposed.join(', ') || 'none recorded'}.`,
    '',
    '## Datasets (chain of custody)',
    '',
    ...table(
      ['file', 'bytes', 'sha256', 'layout', 'read', 'valid', 'quarantined', 'imported'],
      report.datasets.map((d) => [
        d.fileName,
        d.sizeBytes,
        d.sha256,
        `${d.layout}/${d.compression}`,
        d.rowsRead,
        d.rowsValid,
        d.rowsQuarantined,
        `${d.importedAt} by ${d.importedBy}`,
      ]),
    ),
    '',
    ...obligationLines(report),
    '## Notices',
    '',
    ...table(
      ['status', 'count'],
      (['queued', 'sending', 'sent', 'deferred', 'failed', 'bounced', 'dead'] as const).map((s) => [
        s,
        notices[s],
      ]),
    ),
    '',
    '## Audit trail',
    '',
    ...table(
      ['at', 'actor', 'action', 'detail'],
      report.audit.map((entry) => [entry.at, entry.actor, entry.action, JSON.stringify(entry.detail)]),
    ),
    '',
  ];
  return lines.join('\n');
}
