import type { Command } from 'commander';
import type { Vendor, VendorFields } from '../../services/vendor.service.js';
import type { VendorExposure } from '../../services/vendor-risk.service.js';
import type { ReviewStanding } from '../../core/review-standing.js';
import { print, printJson, withApp } from '../output.js';

interface FieldOptions {
  categories?: string;
  purpose?: string;
  population?: string;
  subProcessors?: string;
  noticeHours?: string;
  json?: boolean;
}

function fieldsOf(opts: FieldOptions): VendorFields {
  return {
    categories: opts.categories,
    purpose: opts.purpose,
    population: opts.population,
    subProcessors: opts.subProcessors,
    noticeHours: opts.noticeHours,
  };
}

function withFieldOptions(command: Command): Command {
  return command
    .option('--purpose <text>', 'what the vendor does for you')
    .option(
      '--population <filter>',
      'whose data it receives: all, or e.g. "country in (DE,FR); plan = enterprise"',
    )
    .option('--sub-processors <list>', 'comma-separated names of its sub-processors')
    .option(
      '--notice-hours <n>',
      'hours within which the contract obliges it to tell you of a breach (or none)',
    )
    .option('--json', 'print the vendor as JSON');
}

export function registerVendorCommands(program: Command): void {
  const vendor = program.command('vendor').description('the vendors that receive your data');
  withFieldOptions(
    vendor
      .command('add <name>')
      .description('record a vendor and the data categories it receives')
      .requiredOption('--categories <list>', 'comma-separated categories, e.g. name,email,location,device'),
  ).action(async (name: string, opts: FieldOptions & { categories: string }, cmd: Command) => {
    const added = await withApp(
      cmd,
      (app) => app.vendors.add({ name, ...fieldsOf(opts), categories: opts.categories }),
      {
        create: true,
      },
    );
    if (opts.json) printJson(added);
    else print(`vendor ${added.name} added (${added.id})`);
  });
  withFieldOptions(
    vendor
      .command('set <name>')
      .description("change a vendor's categories, purpose, population, sub-processors or notice deadline")
      .option('--categories <list>', 'comma-separated categories'),
  ).action(async (name: string, opts: FieldOptions, cmd: Command) => {
    const changed = await withApp(cmd, (app) => app.vendors.set(name, fieldsOf(opts)));
    if (opts.json) printJson(changed);
    else print(describeVendor(changed));
  });
  vendor
    .command('status <name> <status>')
    .description('record a status: active, suspended, removed (from production) or terminated')
    .option('--at <iso>', 'when it took effect (default now)')
    .option('--note <text>', 'why')
    .option('--json', 'print the vendor as JSON')
    .action(
      async (
        name: string,
        status: string,
        opts: { at?: string; note?: string; json?: boolean },
        cmd: Command,
      ) => {
        const changed = await withApp(cmd, (app) =>
          app.vendors.setStatus({ name, status, at: opts.at, note: opts.note }),
        );
        if (opts.json) printJson(changed);
        else print(`vendor ${changed.name} is ${changed.status}`);
      },
    );
  vendor
    .command('show <name>')
    .description('a vendor with its status history, reviews and open findings')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
      const shown = await withApp(cmd, (app) => app.vendors.show(name));
      if (opts.json) printJson(shown);
      else
        print(
          [
            describeVendor(shown),
            'history:',
            ...shown.history.map(
              (h) => `  ${h.at}  ${h.status}${h.note ? `  (${h.note})` : ''}  by ${h.recordedBy}`,
            ),
            'reviews:',
            ...shown.reviews.map(
              (r) => `  ${r.reviewedAt}  ${r.id}  ${r.catalogue}  ${r.verdict}  by ${r.reviewer}`,
            ),
            'open findings:',
            ...shown.openFindings.map(
              (f) => `  ${f.id}  ${f.severity}  due ${f.due.slice(0, 10)}  ${f.title}`,
            ),
          ].join('\n'),
        );
    });
  vendor
    .command('list')
    .description('list vendors')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const vendors = await withApp(cmd, (app) => app.vendors.list());
      if (opts.json) printJson(vendors);
      else
        print(
          vendors
            .map((v) => `${v.name}\t${v.status}\t${v.categories.join(',')}\t${v.purpose ?? ''}`)
            .join('\n') || 'no vendors',
        );
    });
  vendor
    .command('exposure <name>')
    .description(
      'the blast radius if this vendor were breached today: people, organizations, categories, jurisdictions',
    )
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
      const exposure = await withApp(cmd, (app) => app.vendorRisk.exposure(name));
      if (opts.json) printJson(exposure);
      else print(describeExposure(exposure));
    });
  vendor
    .command('ranking')
    .description('vendors by risk: category sensitivity × people in their population')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const ranking = await withApp(cmd, (app) => app.vendorRisk.ranking());
      if (opts.json) printJson(ranking);
      else
        print(
          ranking
            .map(
              (e, i) =>
                `${i + 1}. ${e.vendor.name}\t${e.risk.tier}\tscore ${e.risk.score}\t${e.people} people\t` +
                `${e.organizations} organizations\tsensitivity ${e.risk.sensitivity}\t${e.vendor.status}`,
            )
            .join('\n') || 'no vendors',
        );
    });
  vendor
    .command('review <name>')
    .description("record a security review: the vendor's answers judged against a requirement catalogue")
    .requiredOption('--catalogue <version|file>', 'a shipped catalogue version (1, v2) or a catalogue file')
    .requiredOption('--answers <file>', 'JSON: {"answers": {...}, "evidence": {...}, "findings": [...]}')
    .option('--reviewer <name>', 'who reviewed (default the actor)')
    .option('--at <iso>', 'when the review was done (default now)')
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        opts: { catalogue: string; answers: string; reviewer?: string; at?: string; json?: boolean },
        cmd: Command,
      ) => {
        const review = await withApp(cmd, (app) =>
          app.vendorReviews.review({
            vendor: name,
            catalogue: opts.catalogue,
            answersFile: opts.answers,
            reviewer: opts.reviewer,
            at: opts.at,
          }),
        );
        if (opts.json) printJson(review);
        else {
          const { evaluation } = review;
          print(
            [
              `review ${review.id} of ${review.vendor} against ${evaluation.catalogue.name} v${evaluation.catalogue.version}: ` +
                `${evaluation.verdict} (${evaluation.met} met, ${evaluation.notMet} not met, ${evaluation.unknown} unknown)`,
              ...evaluation.results.map((r) => `  ${r.outcome.padEnd(14)} ${r.id}: ${r.reason}`),
              `risk ${review.risk.tier}: next review due ${review.nextDue.slice(0, 10)} (every ${review.risk.cadenceMonths} months)`,
            ].join('\n'),
          );
        }
      },
    );
  vendor
    .command('reviews')
    .description(
      'vendors whose review is overdue, missing or failing, or who fall short of a newer catalogue',
    )
    .option('--catalogue <file>', 'also judge the last reviews against this catalogue file')
    .option('--all', 'every vendor, not only those with a problem')
    .option('--json', 'print JSON')
    .action(async (opts: { catalogue?: string; all?: boolean; json?: boolean }, cmd: Command) => {
      const statuses = await withApp(cmd, (app) =>
        app.vendorReviews.reviews({ catalogueFile: opts.catalogue, all: opts.all ?? false }),
      );
      if (opts.json) printJson(statuses);
      else print(statuses.map(describeReviewStatus).join('\n') || 'every vendor is reviewed and passing');
    });
  registerFindingCommand(vendor);
}

function registerFindingCommand(vendor: Command): void {
  vendor
    .command('close-finding <id>')
    .description('close a review finding once it is fixed or accepted')
    .option('--resolution <text>', 'what was done')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { resolution?: string; json?: boolean }, cmd: Command) => {
      const closed = await withApp(cmd, (app) =>
        app.vendorReviews.closeFinding({ id, resolution: opts.resolution }),
      );
      if (opts.json) printJson(closed);
      else print(`finding ${closed.id} closed`);
    });
}

function describeVendor(v: Vendor): string {
  return [
    `${v.name} (${v.id}) ${v.status}`,
    `  categories: ${v.categories.join(', ')}`,
    `  purpose: ${v.purpose ?? '-'}`,
    `  population: ${v.population}`,
    `  sub-processors: ${v.subProcessors.join(', ') || '-'}`,
    `  breach notice to us: ${v.noticeHours === null ? 'not agreed' : `within ${v.noticeHours} hours`}`,
  ].join('\n');
}

function describeExposure(e: VendorExposure): string {
  return [
    `if ${e.vendor.name} were breached today (${e.vendor.status}):`,
    `  people: ${e.people}`,
    `  organizations: ${e.organizations} (${e.adminRecipients} admin recipients)`,
    `  categories: ${e.categories.join(', ')}`,
    `  jurisdictions: ${e.jurisdictions.map((j) => `${j.jurisdiction} ${j.people}`).join(', ') || '-'}`,
    `  population: ${e.population}`,
    `  risk: ${e.risk.reason}`,
  ].join('\n');
}

function describeReviewStatus(s: ReviewStanding): string {
  const last = s.lastReview
    ? `last ${s.lastReview.reviewedAt.slice(0, 10)} (${s.lastReview.catalogue}, ${s.lastReview.verdict})`
    : 'never reviewed';
  const next = s.nextDue ? `, next due ${s.nextDue.slice(0, 10)}` : '';
  const header = `${s.vendor.name}\t${s.vendor.status}\trisk ${s.risk.tier}\t${last}${next}`;
  return [header, ...s.problems.map((problem) => `  - ${problem}`)].join('\n');
}
