import type { Command } from 'commander';
import { startSmtpListener } from '../../adapters/smtp-listener.js';
import { UserError } from '../../core/errors.js';
import { formatP } from '../../core/misuse-statistics.js';
import type { InboxEntry, Received } from '../../services/inbound.service.js';
import type { MisuseReport } from '../../services/misuse.service.js';
import { print, printError, printJson, withApp } from '../output.js';

interface ListenOptions {
  port: string;
  host: string;
  allowRemote?: boolean;
  maxSize: string;
  maxConnections: string;
  timeout: string;
  json?: boolean;
}

export function registerMonitorListenCommand(monitor: Command): void {
  monitor
    .command('listen')
    .description(
      'receive mail for the reporting address over SMTP: forwarded phishing is judged and stored sealed, bounces of notices mark them bounced',
    )
    .option('--port <port>', 'TCP port (0 picks a free one)', '2525')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--allow-remote', 'allow binding an address other than loopback')
    .option('--max-size <bytes>', 'largest message accepted; larger ones get 552', String(10 * 1024 * 1024))
    .option('--max-connections <n>', 'connections at once', '20')
    .option('--timeout <seconds>', 'close a connection idle this long', '30')
    .option('--json', 'one JSON line per message received')
    .action(async (opts: ListenOptions, cmd: Command) => {
      const port = integer(opts.port, '--port', 0, 65535);
      await withApp(cmd, async (app) => {
        const listener = await startSmtpListener({
          host: opts.host,
          port,
          allowRemote: opts.allowRemote,
          maxBytes: integer(opts.maxSize, '--max-size', 1024, 100 * 1024 * 1024),
          maxClients: integer(opts.maxConnections, '--max-connections', 1, 10_000),
          idleTimeoutMs: integer(opts.timeout, '--timeout', 1, 3600) * 1000,
          onMessage: async (raw, envelope) => {
            const received = await app.inbound.receive(raw, envelope);
            if (opts.json) print(JSON.stringify(received));
            else print(describeReceived(received));
            return `${received.duplicate ? 'already stored' : 'stored'} as ${received.id}`;
          },
          onError: (error) => printError(`a message could not be stored: ${(error as Error).message}`),
        });
        print(`listening on smtp://${listener.host}:${listener.port} (Ctrl-C to stop)`);
        const signal = await nextSignal();
        print(`${signal}: finishing the messages in progress`);
        await listener.close();
      });
    });
}

export function registerMonitorInboxCommand(monitor: Command): void {
  monitor
    .command('inbox')
    .description('list received messages, newest first: verdict, reasons, duplicates; never bodies')
    .option('--kind <kind>', 'report or dsn')
    .option('--verdict <verdict>', 'phishing, suspicious or clean')
    .option('--limit <n>', 'at most this many', '50')
    .option('--subjects', 'open and show the sealed subjects (recorded in the audit log)')
    .option('--json', 'print JSON')
    .action(
      async (
        opts: { kind?: string; verdict?: string; limit: string; subjects?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const entries = await withApp(cmd, (app) =>
          app.inbound.inbox({
            kind: opts.kind,
            verdict: opts.verdict,
            limit: integer(opts.limit, '--limit', 1, 100_000),
            subjects: opts.subjects,
          }),
        );
        if (opts.json) return printJson(entries);
        print(entries.map(describeEntry).join('\n') || 'no messages received');
      },
    );
}

export function registerMonitorPurgeCommand(monitor: Command): void {
  monitor
    .command('purge')
    .description('delete for good the sealed bodies, headers and subjects of messages received before a date')
    .requiredOption('--before <date>', 'ISO-8601 date or time; messages first received earlier are purged')
    .option('--json', 'print JSON')
    .action(async (opts: { before: string; json?: boolean }, cmd: Command) => {
      const result = await withApp(cmd, (app) => app.inbound.purgeBodies(opts.before));
      if (opts.json) return printJson(result);
      print(`${result.messages} messages purged; their hashes, verdicts and recipient keys stay`);
    });
}

export function registerMonitorMisuseCommand(monitor: Command): void {
  monitor
    .command('misuse <incident>')
    .description(
      "phishing addressed to the incident's leaked addresses versus the rest of the directory: rates, Fisher's exact test, per day or week",
    )
    .option('--since <date>', 'only messages received from this date or time (ISO-8601)')
    .option('--until <date>', 'only messages received before this date or time (ISO-8601)')
    .option('--by <period>', 'series per day or week', 'day')
    .option('--json', 'print JSON')
    .action(
      async (
        incident: string,
        opts: { since?: string; until?: string; by: string; json?: boolean },
        cmd: Command,
      ) => {
        if (opts.by !== 'day' && opts.by !== 'week') {
          throw new UserError(`--by must be day or week, not "${opts.by}"`);
        }
        const by = opts.by;
        const report = await withApp(cmd, (app) =>
          app.misuse.correlate(incident, { since: opts.since, until: opts.until, by }),
        );
        if (opts.json) return printJson(report);
        print(describeMisuse(report));
      },
    );
}

function integer(text: string, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    throw new UserError(`${flag} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

function describeReceived(received: Received): string {
  if (received.duplicate) return `${received.id} duplicate (counted)`;
  if (received.kind === 'dsn') return `${received.id} dsn ${received.bounce ?? ''}`.trim();
  const verdict = received.verdict === null ? 'unjudged' : `${received.verdict} ${received.score}`;
  return `${received.id} report ${verdict}, ${received.recipients} recipient(s) by ${received.addressedBy}`;
}

function describeEntry(entry: InboxEntry): string {
  const verdict =
    entry.kind === 'dsn'
      ? `dsn ${entry.bounce ?? ''}`
      : `${entry.verdict ?? 'unjudged'} ${entry.score ?? ''}`;
  const reasons = entry.reasons.map((reason) => reason.code).join(',');
  return [
    entry.receivedAt,
    entry.id,
    verdict.trim(),
    entry.fromDomain ?? '-',
    `${entry.recipients} to`,
    entry.duplicates > 0 ? `+${entry.duplicates} duplicates` : '',
    reasons,
    entry.subject === undefined ? '' : JSON.stringify(entry.subject),
  ]
    .filter((part) => part !== '')
    .join('\t');
}

function describeMisuse(report: MisuseReport): string {
  const { leaked, rest, outside } = report.groups;
  const { statistics: s, inbound } = report;
  const interval = (range: [number, number] | null) =>
    range === null ? '' : ` (95% CI ${range[0].toFixed(2)}–${range[1].toFixed(2)})`;
  const lines = [
    `incident ${report.incident.id}: ${report.incident.title}`,
    `inbound: ${inbound.phishing} phishing, ${inbound.suspicious} suspicious, ${inbound.clean} clean, ${inbound.unjudged} unjudged, ${inbound.dsn} bounces`,
    `leaked set: ${leaked.targeted} of ${leaked.addresses} addresses targeted, ${leaked.messages} messages`,
    `rest of directory: ${rest.targeted} of ${rest.addresses} addresses targeted, ${rest.messages} messages`,
    `outside the directory: ${outside.targeted} addresses, ${outside.messages} messages`,
    `risk ratio: ${s.riskRatio === null ? 'undefined' : s.riskRatio.toFixed(2)}${interval(s.riskRatio95)}`,
    `Fisher's exact test: ${formatP(s.fisher.pTwoSided)} two-sided, ${formatP(s.fisher.pGreater)} one-sided (leaked targeted more)`,
    `${s.conclusion}: ${s.reason}`,
    '',
    `${report.series.by}\tleaked\trest\toutside`,
    ...report.series.periods.map((p) => `${p.period}\t${p.leaked}\t${p.rest}\t${p.outside}`),
  ];
  return lines.join('\n');
}
