import type { Command } from 'commander';
import { print, printJson, withApp } from '../output.js';

export function registerVendorCommands(program: Command): void {
  const vendor = program.command('vendor').description('the vendors that receive your data');
  vendor
    .command('add <name>')
    .description('record a vendor and the data categories it receives')
    .requiredOption('--categories <list>', 'comma-separated categories, e.g. name,email,location,device')
    .option('--purpose <text>', 'what the vendor does for you')
    .option('--json', 'print the vendor as JSON')
    .action(
      async (name: string, opts: { categories: string; purpose?: string; json?: boolean }, cmd: Command) => {
        const added = await withApp(
          cmd,
          (app) => app.vendors.add({ name, categories: opts.categories, purpose: opts.purpose }),
          { create: true },
        );
        if (opts.json)
          printJson({ id: added.id, name: added.name, categories: JSON.parse(added.categories) as unknown });
        else print(`vendor ${added.name} added (${added.id})`);
      },
    );
  vendor
    .command('list')
    .description('list vendors')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const vendors = await withApp(cmd, (app) => app.vendors.list());
      const rows = vendors.map((v) => ({
        id: v.id,
        name: v.name,
        categories: JSON.parse(v.categories) as string[],
        purpose: v.purpose,
      }));
      if (opts.json) printJson(rows);
      else
        print(
          rows.map((v) => `${v.name}\t${v.categories.join(',')}\t${v.purpose ?? ''}`).join('\n') ||
            'no vendors',
        );
    });
}
