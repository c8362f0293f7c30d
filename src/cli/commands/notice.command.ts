import type { Command } from 'commander';
import { loadDkimKey } from '../../adapters/dkim-key.js';
import { createSmtpSender, type MailSender } from '../../adapters/smtp-sender.js';
import type { App } from '../../app.js';
import type { PaceSettings, SendResult } from '../../services/delivery.service.js';
import { lintTemplates, loadTemplates } from '../../adapters/template-folder.js';
import { formatProblem } from '../../core/template-library.js';
import { UserError } from '../../core/errors.js';
import { print, printJson, withApp } from '../output.js';
import { operator } from '../../services/caller.js';

export function registerNoticeCommands(program: Command): void {
  const notices = program
    .command('notices')
    .description('one notice per recipient address, through the outbox');
  notices
    .command('plan <incident>')
    .description(
      'freeze the recipients and render every notice into the outbox (re-run adds only new recipients)',
    )
    .option('--templates <dir>', 'templates folder (env BREACHDESK_TEMPLATES; default the shipped templates)')
    .option(
      '--layout <name>',
      'one template layout for every notice (default: notice-of-data-breach where the law requires it, else default)',
    )
    .option('--json', 'print JSON')
    .action(async (incident: string, opts: TemplateOptions & { json?: boolean }, cmd: Command) => {
      const templates = noticeTemplates(opts);
      const result = await withApp(cmd, (app) => app.notices.plan(incident, templates));
      if (opts.json) return printJson(result);
      print(
        `${result.recipients} recipients: ${result.added} notices added, ${result.alreadyPlanned} already planned`,
      );
      const layouts = Object.entries(result.layouts).map(([layout, n]) => `${n} ${layout}`);
      if (layouts.length > 0) print(`layouts: ${layouts.join(', ')}`);
    });
  notices
    .command('approve <incident>')
    .description('record who approved the plan; only approved notices are ever sent')
    .requiredOption('--by <name>', 'who approves (recorded in the audit log)')
    .option('--json', 'print JSON')
    .action(async (incident: string, opts: { by: string; json?: boolean }, cmd: Command) => {
      const result = await withApp(cmd, (app) => app.notices.approve(incident, opts.by));
      if (opts.json) return printJson(result);
      print(`${result.approved} notices approved by ${opts.by} (content digest ${result.digest})`);
    });
  notices
    .command('verify <code>')
    .description('check whether breachdesk sent the notice with this reference code to this address')
    .requiredOption('--to <address>', 'the address the notice was received at')
    .option('--json', 'print JSON')
    .action(async (code: string, opts: { to: string; json?: boolean }, cmd: Command) => {
      const result = await withApp(cmd, (app) => app.notices.verify(code, opts.to));
      if (opts.json) return printJson(result);
      print(
        result.genuine
          ? `genuine: breachdesk sent notice ${code} to ${opts.to}${result.sentAt ? ` at ${result.sentAt}` : ''} (${result.status})`
          : result.status !== null
            ? `not sent (yet): breachdesk has not recorded notice ${code} to ${opts.to} as accepted by a mail server (status ${result.status}); check again later`
            : `not genuine: breachdesk sent no notice ${code} to ${opts.to}`,
      );
    });
  notices
    .command('preview <incident>')
    .description('show the notice one address receives (planned, or as it would be planned now)')
    .requiredOption('--to <address>', 'recipient address')
    .option('--html', 'print the HTML part instead of the text part')
    .option('--templates <dir>', 'templates folder (env BREACHDESK_TEMPLATES; default the shipped templates)')
    .option('--layout <name>', 'template layout, e.g. notice-of-data-breach')
    .action(
      async (incident: string, opts: TemplateOptions & { to: string; html?: boolean }, cmd: Command) => {
        const templates = noticeTemplates(opts);
        const notice = await withApp(cmd, (app) => app.notices.preview(incident, opts.to, templates));
        print(
          `Status: ${notice.status}\nSubject: ${notice.subject}\n\n${opts.html ? notice.html : notice.text}`,
        );
      },
    );
  notices
    .command('lint')
    .description(
      'check every template of every layout and locale: syntax, variables, files, the five Notice of Data Breach headings',
    )
    .option('--templates <dir>', 'templates folder (env BREACHDESK_TEMPLATES; default the shipped templates)')
    .option('--json', 'print JSON')
    .action((opts: { templates?: string; json?: boolean }) => {
      const problems = lintTemplates(templatesDir(opts));
      if (opts.json) printJson({ ok: problems.length === 0, problems });
      else if (problems.length === 0) print('templates ok');
      else print(problems.map(formatProblem).join('\n'));
      if (problems.length > 0) {
        throw new UserError(`${problems.length} template problem${problems.length === 1 ? '' : 's'}`);
      }
    });
  deliveryOptions(
    notices
      .command('send <incident>')
      .description(
        'deliver the approved notices that are due, over SMTP; safe to re-run, never sends a notice twice',
      ),
  ).action(async (incident: string, opts: SendOptions, cmd: Command) => {
    const result = await withApp(cmd, (app) =>
      withSender(app, opts, (options) => app.delivery.send(incident, options)),
    );
    printSendResult(result, opts.json);
    if (!opts.json && result.deferred + result.paced > 0) {
      print(
        'deferred and held-back notices go out with a later `notices send` (or a `worker`), once their time has come',
      );
    }
  });
  deliveryOptions(
    program
      .command('worker <incident>')
      .description(
        'send, wait for what is due next (backoff, rate, another worker), send again, until every approved notice is final',
      ),
  ).action(async (incident: string, opts: SendOptions, cmd: Command) => {
    const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    const result = await withApp(cmd, (app) =>
      withSender(app, opts, (options) => app.delivery.work(incident, { ...options, wait })),
    );
    printSendResult(result, opts.json);
  });
  notices
    .command('bounces <incident>')
    .description(
      'read bounce messages (DSNs) from a folder of .eml files and mark the notices they report bounced',
    )
    .requiredOption('--from <folder>', 'folder of .eml files')
    .option('--json', 'print JSON')
    .action(async (incident: string, opts: { from: string; json?: boolean }, cmd: Command) => {
      const result = await withApp(cmd, (app) => app.delivery.recordBounces(incident, opts.from));
      if (opts.json) return printJson(result);
      print(
        `${result.files} files: ${result.bounced} bounced, ${result.delayed} delays, ${result.ignored} not bounces, ${result.unmatched} for no sent notice of ${incident}, ${result.unreadable} unreadable`,
      );
    });
  notices
    .command('status <incident>')
    .description('count notices by status, with the reasons of the problem ones')
    .option('--json', 'print JSON')
    .action(async (incident: string, opts: { json?: boolean }, cmd: Command) => {
      const status = await withApp(cmd, (app) => app.notices.status(incident, operator(app.config.actor)));
      if (opts.json) return printJson(status);
      print(
        [
          `total ${status.total}: queued ${status.queued}, sending ${status.sending}, sent ${status.sent}, deferred ${status.deferred}, failed ${status.failed}, bounced ${status.bounced}, dead ${status.dead}`,
          ...status.problems.map((p) => `  ${p.status} ${p.recipient}: ${p.last_error ?? ''}`),
        ].join('\n'),
      );
    });
}

interface TemplateOptions {
  templates?: string;
  layout?: string;
}

function templatesDir(opts: { templates?: string }): string | undefined {
  return opts.templates ?? (process.env.BREACHDESK_TEMPLATES || undefined);
}

/** Loads and checks the templates before the database is opened, so a template error changes nothing. */
function noticeTemplates(opts: TemplateOptions) {
  return { templates: loadTemplates(templatesDir(opts)), layout: opts.layout };
}

export interface SendOptions {
  smtp?: string;
  concurrency: string;
  lease: string;
  dkimKey?: string;
  dkimSelector?: string;
  dkimDomain?: string;
  signingThreads?: string;
  rate?: string;
  domainRate?: string;
  warmup?: string;
  json?: boolean;
}

function count(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new UserError(`${flag}: "${text}" is not a whole number of notices an hour`);
  return n;
}

function warmup(text: string | undefined) {
  if (text === undefined) return undefined;
  const [start, factor] = text.split(',').map(Number);
  if (!Number.isInteger(start) || (start ?? 0) < 1 || !Number.isFinite(factor) || (factor ?? 0) < 1) {
    throw new UserError(`--warmup: "${text}" must be START,FACTOR, e.g. 500,2 (500 an hour, doubling daily)`);
  }
  return { startPerHour: start!, factorPerDay: factor! };
}

function threads(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,3}$/.test(text.trim())) {
    throw new UserError(`--signing-threads: "${text}" is not a whole number of threads`);
  }
  return Number(text);
}

function dkim(opts: SendOptions, fromAddress: string) {
  if (!opts.dkimKey) {
    if (opts.dkimSelector) throw new UserError('--dkim-selector needs --dkim-key');
    return undefined;
  }
  if (!opts.dkimSelector) throw new UserError('--dkim-key needs --dkim-selector');
  const { privateKey } = loadDkimKey(opts.dkimKey);
  return {
    domainName: opts.dkimDomain ?? fromAddress.split('@')[1] ?? '',
    keySelector: opts.dkimSelector,
    privateKey,
  };
}

export function deliveryOptions(command: Command): Command {
  return command
    .option('--smtp <url>', 'smtp://host:port or smtps://user:pass@host:port (env BREACHDESK_SMTP)')
    .option('--concurrency <n>', 'parallel SMTP connections', '4')
    .option(
      '--lease <seconds>',
      'how long a claimed notice stays ours; after a crash, the wait before it is resent',
      '120',
    )
    .option('--dkim-key <file>', 'PEM RSA private key to DKIM-sign every notice')
    .option('--dkim-selector <selector>', 'the DKIM selector published in DNS (required with --dkim-key)')
    .option('--dkim-domain <domain>', "the signing domain (default: the sender address's domain)")
    .option(
      '--signing-threads <n>',
      'threads that compose and DKIM-sign beside the sending thread (default: cores - 1, at most 4; 0 signs on it)',
    )
    .option('--rate <n>', 'at most n notices an hour in all')
    .option('--domain-rate <n>', 'at most n notices an hour to each recipient domain')
    .option('--warmup <start,factor>', 'start at `start` notices an hour and grow by `factor` each day')
    .option('--json', 'print JSON');
}

/** The SMTP connection and delivery options the flags ask for; `serve` starts send passes with them. */
export function sendSettings(app: App, opts: SendOptions) {
  const concurrency = Math.max(1, Number(opts.concurrency) || 4);
  const signing = dkim(opts, app.config.company.fromAddress);
  const signingThreads = threads(opts.signingThreads);
  const url = opts.smtp ?? process.env.BREACHDESK_SMTP ?? 'smtp://127.0.0.1:25';
  return {
    connect: () => createSmtpSender({ url, maxConnections: concurrency, dkim: signing, signingThreads }),
    concurrency,
    leaseMs: Math.max(1, Number(opts.lease) || 120) * 1000,
    pace: {
      globalPerHour: count(opts.rate, '--rate'),
      perDomainPerHour: count(opts.domainRate, '--domain-rate'),
      warmup: warmup(opts.warmup),
    } satisfies PaceSettings,
  };
}

/** Builds the SMTP sender and the delivery options from the flags; always closes the sender. */
async function withSender<T>(
  app: App,
  opts: SendOptions,
  work: (options: {
    sender: MailSender;
    concurrency: number;
    leaseMs: number;
    pace: PaceSettings;
  }) => Promise<T>,
): Promise<T> {
  const { connect, ...options } = sendSettings(app, opts);
  const sender = connect();
  try {
    return await work({ sender, ...options });
  } finally {
    sender.close();
  }
}

function printSendResult(result: SendResult, json: boolean | undefined): void {
  if (json) return printJson(result);
  print(
    `sent ${result.sent}, deferred ${result.deferred}, failed ${result.failed}, dead ${result.dead}, held back by rate ${result.paced}`,
  );
}
