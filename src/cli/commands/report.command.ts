import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { REPORT_FORMATS, type ReportFormat } from '../../services/report.service.js';
import { print, withApp } from '../output.js';

interface ReportOptions {
  format: ReportFormat;
  regulator?: boolean;
  consequences?: string;
  measures?: string;
  out?: string;
  encrypted?: boolean;
  authorizedAccess?: boolean;
  timeZone: string;
}

export function registerReportCommand(program: Command): void {
  program
    .command('report <incident>')
    .description(
      'the incident report (summary, timeline, impact charts, datasets with SHA-256, notices), or with --regulator the GDPR Art. 33(3) summary',
    )
    .addOption(new Option('--format <format>', 'output format').choices(REPORT_FORMATS).default('md'))
    .option('--regulator', 'the GDPR Art. 33(3) notification summary instead of the full report')
    .option('--consequences <text>', 'with --regulator: the likely consequences of the breach')
    .option('--measures <text>', 'with --regulator: the measures taken or proposed, including mitigation')
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--encrypted', 'obligations: the exposed data was encrypted and the key was not exposed')
    .option('--authorized-access', 'obligations: the data was disclosed by mistake, not taken')
    .option('--time-zone <zone>', "obligations: the company's IANA time zone", 'UTC')
    .action(async (incident: string, opts: ReportOptions, cmd: Command) => {
      if (!opts.regulator && (opts.consequences !== undefined || opts.measures !== undefined)) {
        throw new UserError('--consequences and --measures go with --regulator');
      }
      if (opts.format === 'pdf' && !opts.out && process.stdout.isTTY) {
        throw new UserError('a PDF is not for the terminal: give --out FILE or redirect the output');
      }
      const facts = {
        encrypted: opts.encrypted ?? false,
        unauthorized: !opts.authorizedAccess,
        timeZone: opts.timeZone,
      };
      const report = await withApp(cmd, (app) => app.reports.export(incident, { ...opts, facts }));
      if (!opts.out) {
        if (typeof report.content === 'string') return print(report.content);
        process.stdout.write(report.content);
        return;
      }
      await writeFile(opts.out, report.content).catch((error: NodeJS.ErrnoException) => {
        throw new UserError(`cannot write ${opts.out}: ${error.code ?? error.message}`);
      });
      print(`report written to ${opts.out}`);
    });
}
