import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { UserError } from '../../core/errors.js';
import { runDemo } from '../../demo/run-demo.js';
import { print, printJson } from '../output.js';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'run the whole flow on a generated analytics-vendor breach, delivering to a local SMTP server',
    )
    .option('--dir <folder>', 'a new folder for the demo (default ./breachdesk-demo-<time>)')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { dir?: string; json?: boolean }) => {
      const dir = opts.dir ?? `breachdesk-demo-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      if (existsSync(dir)) throw new UserError(`${dir} already exists: the demo needs a fresh folder`);
      const result = await runDemo({ dir, log: opts.json ? undefined : (line) => print(`· ${line}`) });
      if (opts.json) return printJson(result);
      const { impact, delivery } = result;
      print(
        [
          '',
          `Incident ${result.incidentId}: ${impact.incident.title}`,
          `records  read ${impact.records.read} = valid ${impact.records.valid} + quarantined ${impact.records.quarantined}`,
          `people   ${impact.people.total} = matched ${impact.people.matched} + unmatched contactable ${impact.people.unmatchedContactable} + uncontactable ${impact.people.uncontactable}`,
          `orgs     ${impact.organizations} impacted, ${impact.adminRecipients} admin recipients`,
          `notices  ${impact.recipients} recipients: sent ${delivery.sent}, deferred ${delivery.deferred}, failed ${delivery.failed}`,
          '',
          `messages  ${result.mailDir} (${result.received} .eml files)`,
          `report    ${result.reportPath}`,
          `database  ${result.database}`,
          `done in ${result.seconds.toFixed(1)} s`,
        ].join('\n'),
      );
    });
}
