import type { Command } from 'commander';
import type { Decision, TimelineEvent } from '../../services/timeline.js';
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
          incidents.map((i) => `${i.id}\t${i.opened_at}\t${i.status}\t${i.vendor}\t${i.title}`).join('\n') ||
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
  incident
    .command('status <incident> <status>')
    .description('move the incident to triage, scoping, notifying, monitoring or closed')
    .option('--reason <text>', 'why; required to step back, to close and to reopen')
    .option('--json', 'print JSON')
    .action(async (id: string, status: string, opts: { reason?: string; json?: boolean }, cmd: Command) => {
      const change = await withApp(cmd, (app) => app.incidents.setStatus(id, status, opts));
      if (opts.json) printJson(change);
      else print(`${id}: ${change.from} → ${change.to}`);
    });
  incident
    .command('event <incident>')
    .description('put a dated fact on the timeline, e.g. when the vendor informed you')
    .requiredOption(
      '--type <type>',
      'vendor_aware, vendor_informed_us, dataset_received, vendor_removed_from_production, notices_approved, notices_sent, vendor_terminated or note',
    )
    .requiredOption('--at <iso>', 'when it happened (ISO-8601 date, or time with Z or an offset)')
    .option('--source <text>', 'where the fact comes from (default: operator)')
    .option('--note <text>', 'a note')
    .option('--json', 'print the event as JSON')
    .action(
      async (
        id: string,
        opts: { type: string; at: string; source?: string; note?: string; json?: boolean },
        cmd: Command,
      ) => {
        const event = await withApp(cmd, (app) => app.incidents.addEvent(id, opts));
        if (opts.json) printJson(event);
        else print(`event ${event.id}: ${event.type} at ${event.occurredAt}`);
      },
    );
  incident
    .command('timeline <incident>')
    .description('every event of the incident, in the order it happened')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const events = await withApp(cmd, (app) => app.incidents.timeline(id));
      if (opts.json) printJson(events);
      else print(events.map(formatEvent).join('\n') || 'no events');
    });
  incident
    .command('decide <incident>')
    .description('record a decision: who decided what, and why')
    .requiredOption('--decision <text>', 'what was decided')
    .requiredOption('--reason <text>', 'why')
    .option('--by <name>', 'who decided (default: BREACHDESK_ACTOR or the OS user)')
    .option('--at <iso>', 'when it was decided (default: now)')
    .option('--json', 'print the decision as JSON')
    .action(
      async (
        id: string,
        opts: { decision: string; reason: string; by?: string; at?: string; json?: boolean },
        cmd: Command,
      ) => {
        const decision = await withApp(cmd, (app) => app.incidents.decide(id, opts));
        if (opts.json) printJson(decision);
        else print(`decision ${decision.id} recorded`);
      },
    );
  incident
    .command('decisions <incident>')
    .description('the decision log, oldest first')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const decisions = await withApp(cmd, (app) => app.incidents.decisions(id));
      if (opts.json) printJson(decisions);
      else print(decisions.map(formatDecision).join('\n\n') || 'no decisions');
    });
}

function formatEvent(event: TimelineEvent): string {
  const detail = Object.entries(event.detail).map(([key, value]) => `${key}=${String(value)}`);
  const line = [event.occurredAt, event.type, `(${event.source})`, ...detail].join('  ');
  return event.note === null ? line : `${line}\n${indent(event.note)}`;
}

function formatDecision(decision: Decision): string {
  return [
    `${decision.decidedAt}  ${decision.decidedBy}: ${decision.decision}`,
    indent(`because: ${decision.reason}`),
  ].join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
