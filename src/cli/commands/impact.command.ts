import { Option, type Command } from 'commander';
import { csvLine } from '../../core/csv-format.js';
import { CATEGORIES } from '../../core/categories.js';
import type { PersonLine } from '../../services/impact.service.js';
import { print, printJson, printLines, withApp } from '../output.js';
import { operator } from '../../services/caller.js';

export function registerImpactCommands(program: Command): void {
  program
    .command('impact <incident>')
    .description('who is affected: records, people, organizations, recipients, categories')
    .option('--json', 'print JSON')
    .action(async (incident: string, opts: { json?: boolean }, cmd: Command) => {
      const summary = await withApp(cmd, (app) => app.impact.analyze(incident));
      if (opts.json) return printJson(summary);
      const { records, people } = summary;
      print(
        [
          `${summary.incident.title} (${summary.incident.vendor}, ${summary.incident.id})`,
          `records:   read ${records.read} = valid ${records.valid} + quarantined ${records.quarantined}`,
          `people:    ${people.total} = matched ${people.matched} + unmatched contactable ${people.unmatchedContactable} + uncontactable ${people.uncontactable}`,
          `organizations impacted: ${summary.organizations} (${summary.organizationsWithoutAdmin} without an active admin to tell), admin recipients: ${summary.adminRecipients}`,
          `notice recipients: ${summary.recipients}`,
          `categories (people): ${CATEGORIES.filter((c) => summary.categories[c] > 0)
            .map((c) => `${c} ${summary.categories[c]}`)
            .join(', ')}`,
        ].join('\n'),
      );
    });

  program
    .command('people <incident>')
    .description('one line per impacted person: email, accountId, categories, organizations')
    .addOption(new Option('--format <format>', 'output format').choices(['ndjson', 'csv']).default('ndjson'))
    .action(async (incident: string, opts: { format: 'ndjson' | 'csv' }, cmd: Command) => {
      await withApp(cmd, (app) =>
        printLines(peopleLines(app.impact.people(incident, operator(app.config.actor)), opts.format)),
      );
    });
}

async function* peopleLines(
  people: AsyncIterable<PersonLine>,
  format: 'ndjson' | 'csv',
): AsyncGenerator<string> {
  if (format === 'csv') yield csvLine(['email', 'accountId', 'categories', 'organizations']);
  for await (const person of people) {
    yield format === 'csv'
      ? csvLine([person.email, person.accountId, person.categories.join(';'), person.organizations.join(';')])
      : JSON.stringify(person);
  }
}
