import type { Command } from 'commander';
import { systemDnsResolver } from '../../adapters/dns-resolver.js';
import { csvLine } from '../../core/csv-format.js';
import { UserError } from '../../core/errors.js';
import { LookalikeService, type CheckedLookalike } from '../../services/lookalike.service.js';
import { print, printJson } from '../output.js';
import {
  registerMonitorInboxCommand,
  registerMonitorListenCommand,
  registerMonitorMisuseCommand,
  registerMonitorPurgeCommand,
} from './monitor-inbound.command.js';

/** The `monitor` group: one small function registers each subcommand. */
export function registerMonitorCommands(program: Command): void {
  const monitor = program
    .command('monitor')
    .description('watch for misuse after a breach: lookalike domains, reported phishing, correlation');
  registerLookalikesCommand(monitor);
  registerMonitorListenCommand(monitor);
  registerMonitorInboxCommand(monitor);
  registerMonitorMisuseCommand(monitor);
  registerMonitorPurgeCommand(monitor);
}

interface LookalikesOptions {
  format: string;
  dictionary?: string;
  tlds?: string;
  fuzzers?: string;
  resolve?: boolean;
  registered?: boolean;
  concurrency: string;
  timeout: string;
  nameservers?: string;
}

const FORMATS = ['list', 'json', 'csv'] as const;

function registerLookalikesCommand(monitor: Command): void {
  monitor
    .command('lookalikes <domain>')
    .description(
      'every lookalike of a domain (typos, homoglyphs, IDN, other suffixes…), optionally which are registered; needs no database',
    )
    .option('--format <format>', `output: ${FORMATS.join(', ')}`, 'list')
    .option('--dictionary <file>', 'words to add to the name, one a line (login, secure, support…)')
    .option('--tlds <file>', 'suffixes to swap in, one a line (net, org, co.uk…)')
    .option('--fuzzers <list>', 'only these families, comma-separated (default all)')
    .option('--resolve', 'look each lookalike up in DNS (NS, then A, AAAA, MX)')
    .option('--registered', 'only the registered lookalikes (implies --resolve)')
    .option('--concurrency <n>', 'lookalikes looked up at once', '20')
    .option('--timeout <ms>', 'per DNS attempt, in milliseconds (two attempts)', '2500')
    .option('--nameservers <list>', 'DNS servers to ask, comma-separated (default the system ones)')
    .action(async (domain: string, opts: LookalikesOptions) => {
      const format = parseFormat(opts.format);
      const service = new LookalikeService({
        resolver: systemDnsResolver({
          timeoutMs: positive(opts.timeout, '--timeout'),
          servers: opts.nameservers?.split(',').map((server) => server.trim()),
        }),
      });
      const lookalikes = await service.watch({
        domain,
        dictionaryFile: opts.dictionary,
        tldsFile: opts.tlds,
        fuzzers: opts.fuzzers,
        resolve: opts.resolve,
        registeredOnly: opts.registered,
        concurrency: positive(opts.concurrency, '--concurrency'),
        onProgress: opts.resolve || opts.registered ? lookupProgress() : undefined,
      });
      printLookalikes(lookalikes, format);
    });
}

function parseFormat(format: string): (typeof FORMATS)[number] {
  const known = FORMATS.find((name) => name === format);
  if (!known) throw new UserError(`--format: unknown format "${format}" (known: ${FORMATS.join(', ')})`);
  return known;
}

function positive(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new UserError(`${flag} must be a whole number of at least 1`);
  return number;
}

function printLookalikes(lookalikes: CheckedLookalike[], format: (typeof FORMATS)[number]): void {
  switch (format) {
    case 'list':
      return print(lookalikes.map((l) => l.punycode).join('\n'));
    case 'json':
      return printJson(lookalikes);
    case 'csv': {
      const resolved = lookalikes.some((l) => l.dns !== undefined);
      const header = ['fuzzer', 'domain', 'punycode', ...(resolved ? DNS_COLUMNS : [])];
      const rows = lookalikes.map((l) => [
        l.fuzzer,
        l.domain,
        l.punycode,
        ...(resolved && l.dns
          ? [l.dns.status, l.dns.ns, l.dns.a, l.dns.aaaa, l.dns.mx].map((cell) =>
              Array.isArray(cell) ? cell.join(';') : cell,
            )
          : []),
        ...(resolved && l.dns ? [l.dns.reason] : []),
      ]);
      return print([header, ...rows].map(csvLine).join('\n'));
    }
  }
}

const DNS_COLUMNS = ['status', 'ns', 'a', 'aaaa', 'mx', 'reason'];

/** `checked N/M · registered K` on a terminal's standard error; nothing when it is not one. */
function lookupProgress(): ((checked: number, total: number, registered: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let shown = 0;
  return (checked, total, registered) => {
    const now = performance.now();
    if (checked < total && now - shown < 200) return;
    shown = now;
    const line = `  checked ${checked}/${total} · registered ${registered}`;
    process.stderr.write(`\r${line.padEnd(50)}${checked === total ? '\n' : ''}`);
  };
}
