import type { Command } from 'commander';
import type { Identity } from '../../core/monitor-identity.js';
import { print, printJson, withApp } from '../output.js';

interface SetOptions {
  brand?: string;
  official?: string;
  sending?: string;
  links?: string;
  services?: string;
  json?: boolean;
}

export function registerIdentityCommands(program: Command): void {
  const identity = program
    .command('identity')
    .description("the company's brand names and official domains, which the monitor judges mail against");
  identity
    .command('show')
    .description('print the stored identity')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const stored = await withApp(cmd, (app) => app.monitor.identity());
      if (opts.json) printJson(stored);
      else print(describe(stored));
    });
  identity
    .command('set')
    .description('replace the lists given; lists not given stay as they are')
    .option('--brand <names>', 'brand names, comma-separated (e.g. "Acme,Acme API")')
    .option('--official <domains>', 'official domains, both sending and link (comma-separated)')
    .option('--sending <domains>', 'domains the company sends mail from')
    .option('--links <domains>', 'domains the company links to')
    .option('--services <domains>', 'sending services that send for the company (e.g. sendgrid.net)')
    .option('--json', 'print the identity as JSON')
    .action(async (opts: SetOptions, cmd: Command) => {
      const stored = await withApp(
        cmd,
        (app) =>
          app.monitor.setIdentity({
            brands: opts.brand,
            official: opts.official,
            sending: opts.sending,
            links: opts.links,
            services: opts.services,
          }),
        { create: true },
      );
      if (opts.json) printJson(stored);
      else print(describe(stored));
    });
}

function describe(identity: Identity): string {
  const list = (values: string[]) => (values.length > 0 ? values.join(', ') : '(none)');
  return [
    `brands:           ${list(identity.brands)}`,
    `sending domains:  ${list(identity.sendingDomains)}`,
    `link domains:     ${list(identity.linkDomains)}`,
    `sending services: ${list(identity.sendingServices)}`,
  ].join('\n');
}
