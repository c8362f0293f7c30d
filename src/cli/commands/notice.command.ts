import type { Command } from 'commander';
import { createSmtpSender } from '../../adapters/smtp-sender.js';
import { print, printJson, withApp } from '../output.js';

export function registerNoticeCommands(program: Command): void {
  const notices = program
    .command('notices')
    .description('one notice per recipient address, through the outbox');
  notices
    .command('plan <incident>')
    .description(
      'freeze the recipients and render every notice into the outbox (re-run adds only new recipients)',
    )
    .option('--json', 'print JSON')
    .action(async (incident: string, opts: { json?: boolean }, cmd: Command) => {
      const result = await withApp(cmd, (app) => app.notices.plan(incident));
      if (opts.json) return printJson(result);
      print(
        `${result.recipients} recipients: ${result.added} notices added, ${result.alreadyPlanned} already planned`,
      );
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
          : `not genuine: breachdesk sent no notice ${code} to ${opts.to}`,
      );
    });
  notices
    .command('preview <incident>')
    .description('show the notice one address receives (planned, or as it would be planned now)')
    .requiredOption('--to <address>', 'recipient address')
    .option('--html', 'print the HTML part instead of the text part')
    .action(async (incident: string, opts: { to: string; html?: boolean }, cmd: Command) => {
      const notice = await withApp(cmd, (app) => app.notices.preview(incident, opts.to));
      print(
        `Status: ${notice.status}\nSubject: ${notice.subject}\n\n${opts.html ? notice.html : notice.text}`,
      );
    });
  notices
    .command('send <incident>')
    .description('deliver queued notices over SMTP; safe to re-run, never sends a notice twice')
    .option('--smtp <url>', 'smtp://host:port or smtps://user:pass@host:port (env BREACHDESK_SMTP)')
    .option('--concurrency <n>', 'parallel SMTP connections', '4')
    .option(
      '--lease <seconds>',
      'how long a claimed notice stays ours; after a crash, the wait before it is resent',
      '120',
    )
    .option('--json', 'print JSON')
    .action(
      async (
        incident: string,
        opts: { smtp?: string; concurrency: string; lease: string; json?: boolean },
        cmd: Command,
      ) => {
        const url = opts.smtp ?? process.env.BREACHDESK_SMTP ?? 'smtp://127.0.0.1:25';
        const concurrency = Math.max(1, Number(opts.concurrency) || 4);
        const sender = createSmtpSender({ url, maxConnections: concurrency });
        try {
          const leaseMs = Math.max(1, Number(opts.lease) || 120) * 1000;
          const result = await withApp(cmd, (app) =>
            app.delivery.send(incident, { sender, concurrency, leaseMs }),
          );
          if (opts.json) return printJson(result);
          print(
            `sent ${result.sent}, deferred ${result.deferred}, failed ${result.failed}, dead ${result.dead}`,
          );
          if (result.deferred > 0)
            print('deferred notices are retried by the next `notices send` once their backoff has passed');
        } finally {
          sender.close();
        }
      },
    );
  notices
    .command('status <incident>')
    .description('count notices by status, with the reasons of the problem ones')
    .option('--json', 'print JSON')
    .action(async (incident: string, opts: { json?: boolean }, cmd: Command) => {
      const status = await withApp(cmd, (app) => app.notices.status(incident));
      if (opts.json) return printJson(status);
      print(
        [
          `total ${status.total}: queued ${status.queued}, sending ${status.sending}, sent ${status.sent}, deferred ${status.deferred}, failed ${status.failed}, bounced ${status.bounced}, dead ${status.dead}`,
          ...status.problems.map((p) => `  ${p.status} ${p.recipient}: ${p.last_error ?? ''}`),
        ].join('\n'),
      );
    });
}
