import { createHash } from 'node:crypto';
import { renderBarChart } from './bar-chart.js';
import { escapeHtml as esc } from './escape.js';
import {
  assumedFacts,
  deadlineText,
  summaryRows,
  type Chart,
  type IncidentReport,
  type ReportDataset,
  type ReportObligations,
} from './incident-report.js';
import type { Completable, RegulatorSummary } from './regulator-summary.js';

const CSS = `@page { size: A4; margin: 16mm 14mm; }
body { font-family: sans-serif; font-size: 10pt; line-height: 1.4; color: #222; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 19pt; margin: 0 0 3mm; }
h2 { font-size: 14pt; margin: 0 0 3mm; border-bottom: 1.5pt solid #3b5b92; padding-bottom: 1mm; }
h3 { font-size: 11pt; margin: 5mm 0 2mm; }
section { margin-top: 8mm; }
section.page { break-before: page; margin-top: 0; }
.compact section { margin-top: 5mm; }
.compact h2 { font-size: 12pt; }
.compact table { margin: 1mm 0 2mm; }
.compact th, .compact td { padding: 0.5mm 2mm; }
.meta { color: #555; margin: 0 0 1mm; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.5pt solid #bbb; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #eef1f7; }
.n { text-align: right; white-space: nowrap; }
.t { white-space: nowrap; }
.hash { font-family: monospace; font-size: 8.5pt; word-break: break-all; }
.todo { color: #a40000; font-weight: bold; }
.source { color: #555; font-style: italic; }
figure { margin: 3mm 0 5mm; break-inside: avoid; }
figcaption { font-weight: bold; margin-bottom: 1mm; }
ul.checklist { list-style: none; padding-left: 0; }
svg { max-width: 100%; height: auto; }
`;

/** The style element's hash: the page runs no script and loads nothing but this one stylesheet. */
const CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

type Cell = string | number | { hash: string } | { nowrap: string } | { html: string; numeric?: boolean };

function cell(value: Cell): string {
  if (typeof value === 'number') return `<td class="n">${value}</td>`;
  if (typeof value === 'string') return `<td>${esc(value)}</td>`;
  if ('hash' in value) return `<td class="hash">${esc(value.hash)}</td>`;
  if ('nowrap' in value) return `<td class="t">${esc(value.nowrap)}</td>`;
  return `<td${value.numeric ? ' class="n"' : ''}>${value.html}</td>`;
}

function table(headers: string[], rows: Cell[][], numeric: number[] = [], withHead = true): string {
  if (rows.length === 0) return '<p>None.</p>';
  const head = headers
    .map((header, index) => `<th${numeric.includes(index) ? ' class="n"' : ''}>${esc(header)}</th>`)
    .join('');
  const body = rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('\n');
  const thead = withHead ? `<thead><tr>${head}</tr></thead>` : '';
  return `<table>${thead}<tbody>\n${body}\n</tbody></table>`;
}

function dataset(d: ReportDataset): string {
  return `<h3>${esc(d.fileName)}</h3>
${table(
  ['', ''],
  [
    ['SHA-256', { hash: d.sha256 }],
    ['bytes', String(d.sizeBytes)],
    ['format', `${d.format}, ${d.layout}, ${d.compression} (importer ${d.importerVersion})`],
    ['rows read / valid / quarantined', `${d.rowsRead} / ${d.rowsValid} / ${d.rowsQuarantined}`],
    ['imported', `${d.importedAt} by ${d.importedBy}`],
  ],
  [],
  false,
)}`;
}

function figure(chart: Chart, id: string): string {
  return `<figure><figcaption>${esc(chart.title)}</figcaption>${renderBarChart(chart, id)}</figure>`;
}

function completable(item: Completable): string {
  return item.status === 'provided'
    ? `${esc(item.text)} <span class="source">(from the ${esc(item.source)})</span>`
    : '<span class="todo">To be completed.</span>';
}

function page(title: string, body: string, bodyClass = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body${bodyClass ? ` class="${bodyClass}"` : ''}>
${body}
</body>
</html>
`;
}

/** One self-contained HTML file, A4 print layout, no script; every dataset or user value escaped. */
export function renderReportHtml(document: IncidentReport | RegulatorSummary): string {
  return document.kind === 'incident-report' ? incidentReport(document) : regulatorSummary(document);
}

function incidentReport(report: IncidentReport): string {
  const { incident, summary } = report;
  const sections = [
    `<header>
<h1>Incident report: ${esc(incident.title)}</h1>
<p class="meta">${esc(report.company)} · incident ${esc(incident.id)} · vendor ${esc(incident.vendor)} · ${esc(incident.status)}</p>
<p class="meta">Opened ${esc(incident.openedAt)}${incident.awareAt ? ` · aware ${esc(incident.awareAt)}` : ''} · generated ${esc(report.generatedAt)}</p>
</header>
<section>
<h2>Summary</h2>
${table(
  ['measure', 'count'],
  summaryRows(summary).map(([label, value]) => [
    label,
    typeof value === 'number' ? value : { html: esc(value), numeric: true },
  ]),
  [1],
)}
<p>Exposed: ${esc(summary.exposedCategories.join(', ') || 'none found')}.
Confirmed not exposed: ${esc(incident.notExposed.join(', ') || 'none recorded')}.</p>
</section>`,
    `<section class="page" id="timeline">
<h2>Timeline</h2>
${table(
  ['at', 'event', 'source', 'recorded by'],
  report.timeline.map((event) => [
    { nowrap: event.at },
    { html: esc(event.event) + (event.note ? `<br><span class="source">${esc(event.note)}</span>` : '') },
    event.source,
    event.recordedBy,
  ]),
)}
</section>`,
    `<section class="page" id="impact">
<h2>Impact</h2>
${figure(report.impact.byCategory, 'chart-category')}
${report.impact.byCountry ? figure(report.impact.byCountry, 'chart-country') : ''}
${figure(report.impact.organizationsBySize, 'chart-organizations')}
<h3>Largest impacted organizations</h3>
${table(
  ['organization', 'impacted members'],
  report.impact.largestOrganizations.map((org) => [org.name, org.impactedMembers]),
  [1],
)}
</section>`,
    `<section class="page" id="datasets">
<h2>Datasets (chain of custody)</h2>
${report.datasets.length === 0 ? '<p>None.</p>' : report.datasets.map(dataset).join('\n')}
</section>`,
    `<section class="page" id="notices">
<h2>Notices and delivery</h2>
${figure(report.notices.delivery, 'chart-delivery')}
${table(
  ['status', 'notices'],
  Object.entries(report.notices.byStatus).map(([status, count]) => [status, count]),
  [1],
)}
</section>`,
  ];
  if (report.obligations) {
    sections.push(`<section class="page" id="obligations">
<h2>Obligations and deadlines</h2>
${obligations(report.obligations)}
</section>`);
  }
  sections.push(`<section class="page" id="decisions">
<h2>Decisions</h2>
${table(
  ['at', 'by', 'decision', 'reason'],
  report.decisions.map((d) => [{ nowrap: d.at }, d.by, d.decision, d.reason]),
)}
</section>`);
  return page(`Incident report: ${incident.title}`, sections.join('\n'));
}

function obligations(assessment: ReportObligations): string {
  const details = assessment.jurisdictions
    .filter((o) => o.status !== 'not_required')
    .map(
      (o) => `<h3>${esc(o.name)} <span class="meta">${esc(o.citation)}</span></h3>
<ul>${o.reasons.map((reason) => `<li>${esc(reason)}</li>`).join('')}</ul>
${table(
  ['tell', 'status', 'deadline'],
  o.notifications.map((n) => [n.to, n.status.replace('_', ' '), deadlineText(n.deadline, true)]),
)}
<ul class="checklist">${o.checklist.map((item) => `<li>☐ ${esc(item)}</li>`).join('')}</ul>`,
    );
  return [
    `<p class="meta">${esc(assumedFacts(assessment))} ${esc(assessment.disclaimer)}</p>`,
    ...assessment.warnings.map((warning) => `<p class="todo">${esc(warning)}</p>`),
    table(
      ['jurisdiction', 'status', 'affected / located', 'deadline', 'clock'],
      assessment.jurisdictions.map((o) => [
        o.name,
        { nowrap: o.status.replace('_', ' ') },
        { html: `${o.affected} / ${o.residents}`, numeric: true },
        { nowrap: deadlineText(o.deadline, false) },
        o.countdown ?? '',
      ]),
      [2],
    ),
    ...details,
  ].join('\n');
}

function regulatorSummary(summary: RegulatorSummary): string {
  const { incident, nature, contact, measures } = summary;
  const n = measures.notification;
  return page(
    `Personal data breach notification: ${incident.title}`,
    `<header>
<h1>Personal data breach notification (GDPR Art. 33)</h1>
<p class="meta">Controller ${esc(summary.controller)} · incident ${esc(incident.id)}</p>
<p class="meta">Opened ${esc(incident.openedAt)}${incident.awareAt ? ` · aware ${esc(incident.awareAt)}` : ''} · generated ${esc(summary.generatedAt)}</p>
</header>
<section id="nature">
<h2>(a) Nature of the breach</h2>
<p>${esc(nature.description)}</p>
<p>Approximate number of data subjects concerned: <strong>${nature.approximateDataSubjects}</strong>.<br>
Approximate number of personal data records concerned: <strong>${nature.approximateRecords}</strong>.</p>
${table(
  ['categories of data subjects', 'people'],
  nature.dataSubjectCategories.map((row) => [row.label, row.people]),
  [1],
)}
${table(
  ['categories of personal data', 'people'],
  nature.dataCategories.map((row) => [row.description, row.people]),
  [1],
)}
<p>Confirmed not exposed: ${esc(nature.notExposed.join(', ') || 'none recorded')}.</p>
</section>
<section id="contact">
<h2>(b) Data protection officer or contact point</h2>
<p>Name: ${completable(contact.name)}<br>
Email: ${esc(contact.email)}${contact.phone ? `<br>\nPhone: ${esc(contact.phone)}` : ''}${contact.url ? `<br>\nWeb: ${esc(contact.url)}` : ''}</p>
</section>
<section id="consequences">
<h2>(c) Likely consequences</h2>
<p>${completable(summary.consequences)}</p>
</section>
<section id="measures">
<h2>(d) Measures taken or proposed</h2>
${
  measures.status === 'to be completed'
    ? '<p class="todo">To be completed.</p>'
    : `<ul>${measures.entries
        .map(
          (entry) =>
            `<li>${entry.at ? `${esc(entry.at)}: ` : ''}${esc(entry.text)} <span class="source">(from the ${esc(entry.source)})</span></li>`,
        )
        .join('')}</ul>`
}
<p>Direct notice to the people concerned: ${n.planned} notices planned for ${n.recipients} recipients, ${n.sent} sent, ${n.undeliverable} undeliverable.</p>
</section>`,
    'compact',
  );
}
