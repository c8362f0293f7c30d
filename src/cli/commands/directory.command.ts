import type { Command } from 'commander';
import { print, printJson, withApp } from '../output.js';

export function registerDirectoryCommands(program: Command): void {
  const directory = program
    .command('directory')
    .description("your company's accounts, organizations and memberships");
  directory
    .command('import')
    .description('import or update the directory from CSV or NDJSON files')
    .option(
      '--accounts <file>',
      'columns id,email,name,status (extra columns such as locale, country are kept)',
    )
    .option('--orgs <file>', 'columns id,name')
    .option('--memberships <file>', 'columns org_id,account_id,role (owner, admin or member)')
    .option('--json', 'print counts as JSON')
    .action(
      async (
        opts: { accounts?: string; orgs?: string; memberships?: string; json?: boolean },
        cmd: Command,
      ) => {
        const result = await withApp(
          cmd,
          (app) =>
            app.directory.import({
              accounts: opts.accounts,
              organizations: opts.orgs,
              memberships: opts.memberships,
            }),
          { create: true },
        );
        if (opts.json) printJson(result);
        else
          print(
            `imported ${result.accounts} accounts, ${result.organizations} organizations, ${result.memberships} memberships`,
          );
      },
    );
}
