import type { Command } from 'commander';
import type { ObligationReport } from '../../services/obligation.service.js';
import { print, printJson, withApp } from '../output.js';

interface ObligationOptions {
  json?: boolean;
  at?: string;
  encrypted?: boolean;
  authorizedAccess?: boolean;
  timeZone?: string;
}

export function registerObligationsCommand(program: Command): void {
  program
    .command('obligations <incident>')
    .description('who must be told what, by when, per jurisdiction (decision support, not legal advice)')
    .option('--at <iso>', 'count down against this time instead of now')
    .option('--encrypted', 'the exposed data was encrypted and the key was not exposed')
    .option('--authorized-access', 'the data was disclosed by mistake, not taken without authorization')
    .option('--time-zone <zone>', "the company's IANA time zone, for rules that follow the company", 'UTC')
    .option('--json', 'print JSON')
    .action(async (incident: string, opts: ObligationOptions, cmd: Command) => {
      const report = await withApp(cmd, (app) =>
        app.obligations.assess(incident, {
          at: opts.at,
          encrypted: opts.encrypted ?? false,
          unauthorized: !opts.authorizedAccess,
          timeZone: opts.timeZone,
        }),
      );
      if (opts.json) printJson(report);
      else print(renderObligations(report));
    });
}

const STATUS_WORDS = { required: 'required', judgement_call: 'judgement call', not_required: 'not required' };

/** The table, then the reasons and checklist of everything not plainly "not required". */
export function renderObligations(report: ObligationReport): string {
  const rows = report.obligations.map((o) => [
    o.jurisdiction,
    STATUS_WORDS[o.status],
    `${o.affected}/${o.residents}`,
    o.deadline === null ? '' : (o.deadline.local ?? o.deadline.rule),
    o.countdown ?? '',
  ]);
  const header = ['jurisdiction', 'status', 'affected', 'deadline', 'clock'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const { people } = report;
  const out = [
    report.disclaimer,
    `${report.incident.title} (${report.incident.vendor}, ${report.incident.id})`,
    `aware ${report.awareAt}${report.awarenessFrom === 'opened_at' ? ' (no --aware-at: the time the incident was opened)' : ''}; now ${report.now}; rules ${report.ruleVersion}`,
    `facts: ${report.facts.unauthorized ? 'unauthorized access' : 'disclosed without an attacker'}, ${report.facts.encrypted ? 'encrypted' : 'not encrypted'}, company time zone ${report.facts.timeZone}`,
    `people: ${people.total} = covered ${people.covered} + unknown location ${people.unknownLocation} + US state unknown ${people.usStateUnknown} + elsewhere ${people.elsewhere}`,
    '',
    line(header),
    ...rows.map(line),
  ];
  for (const o of report.obligations) {
    if (o.status === 'not_required' && o.affected === 0) continue;
    out.push('', `${o.name}: ${STATUS_WORDS[o.status]}`);
    for (const n of o.notifications) {
      const due =
        n.deadline === null
          ? ''
          : ` — ${n.deadline.local === null ? n.deadline.rule : `${n.deadline.local} (${n.deadline.rule})`}`;
      out.push(`  ${STATUS_WORDS[n.status]}: ${n.to}${due}`);
      out.push(`    ${n.because}`);
    }
    if (o.status !== 'not_required') out.push('  content:', ...o.checklist.map((item) => `    - ${item}`));
  }
  if (report.warnings.length > 0) out.push('', ...report.warnings.map((warning) => `warning: ${warning}`));
  return out.join('\n');
}
