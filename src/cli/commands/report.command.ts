import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { renderReportMarkdown } from '../../services/report-markdown.js';
import { print, withApp } from '../output.js';
import { operator } from '../../services/caller.js';

export function registerReportCommand(program: Command): void {
  program
    .command('report <incident>')
    .description('the incident report: impact, datasets with SHA-256, notices, audit trail')
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'json']).default('md'))
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (incident: string, opts: { format: 'md' | 'json'; out?: string }, cmd: Command) => {
      const report = await withApp(cmd, (app) => app.reports.build(incident, operator(app.config.actor)));
      const text = opts.format === 'json' ? JSON.stringify(report, null, 2) : renderReportMarkdown(report);
      if (!opts.out) return print(text);
      await writeFile(opts.out, text.endsWith('\n') ? text : `${text}\n`).catch(
        (error: NodeJS.ErrnoException) => {
          throw new UserError(`cannot write ${opts.out}: ${error.code ?? error.message}`);
        },
      );
      print(`report written to ${opts.out}`);
    });
}
