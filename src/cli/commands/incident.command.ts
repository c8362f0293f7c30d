import type { Command } from 'commander';
import { print, printJson, withApp } from '../output.js';

export function registerIncidentCommands(program: Command): void {
  const incident = program.command('incident').description('incidents opened against a vendor');
  incident
    .command('open')
    .description('open an incident and print its id')
    .requiredOption('--vendor <name>', 'the breached vendor (see vendor add)')
    .requiredOption('--title <text>', 'a short title')
    .requiredOption('--exposed <list>', 'categories the vendor says were exposed')
    .option('--not-exposed <list>', 'categories confirmed not exposed', '')
    .option('--aware-at <iso>', 'when you became aware (ISO-8601); deadlines count from it')
    .option('--json', 'print the incident as JSON')
    .action(
      async (
        opts: {
          vendor: string;
          title: string;
          exposed: string;
          notExposed: string;
          awareAt?: string;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        const opened = await withApp(cmd, (app) => app.incidents.open(opts));
        if (opts.json) printJson(opened);
        else print(opened.id);
      },
    );
  incident
    .command('list')
    .description('list incidents, newest first')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const incidents = await withApp(cmd, (app) => app.incidents.list());
      if (opts.json) printJson(incidents);
      else
        print(
          incidents.map((i) => `${i.id}\t${i.opened_at}\t${i.vendor}\t${i.title}`).join('\n') ||
            'no incidents',
        );
    });
  incident
    .command('purge-values <incident>')
    .description('delete the exposed values for good; categories, counts, notice statuses and audit stay')
    .option('--force', 'purge even though some notices are not sent yet (they will fail)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { force?: boolean; json?: boolean }, cmd: Command) => {
      const result = await withApp(cmd, (app) => app.incidents.purgeValues(id, { force: opts.force }));
      if (opts.json) printJson(result);
      else print(`purged the exposed values of ${result.records} records of ${id}`);
    });
}
