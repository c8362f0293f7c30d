import type { Command } from 'commander';
import { print, printJson, withApp } from '../output.js';

export function registerDatasetCommands(program: Command): void {
  const dataset = program.command('dataset').description("the breached vendor's exported files");
  dataset
    .command('import <incident> <file>')
    .description('stream a dataset file into the incident (gzip or plain, layout detected from content)')
    .option('--format <format>', 'auto or mixpanel-people', 'auto')
    .option(
      '--org-key <property>',
      'property or $groups key holding organization ids (repeatable; default org_id, organization_id)',
      collect,
      [],
    )
    .option('--json', 'print the import summary as JSON')
    .action(
      async (
        incident: string,
        file: string,
        opts: { format: string; orgKey: string[]; json?: boolean },
        cmd: Command,
      ) => {
        const result = await withApp(cmd, (app) =>
          app.datasets.import({
            incidentId: incident,
            path: file,
            format: opts.format,
            orgKeys: opts.orgKey,
          }),
        );
        if (opts.json) return printJson(result);
        if (result.duplicateOf)
          return print(`${file} was already imported as dataset ${result.duplicateOf}; nothing added`);
        print(
          [
            `dataset ${result.datasetId}: ${result.format} (${result.layout}, ${result.compression})`,
            `read ${result.read} / valid ${result.valid} / quarantined ${result.quarantined}`,
            ...result.firstProblems.map((p) => `  quarantined line ${p.line}: ${p.reason}`),
            ...(result.unknownFields.length > 0
              ? [`unmapped fields: ${result.unknownFields.map(([name, n]) => `${name} (${n})`).join(', ')}`]
              : []),
          ].join('\n'),
        );
      },
    );
  dataset
    .command('list <incident>')
    .description('datasets of an incident with size, SHA-256 and counts')
    .option('--json', 'print JSON')
    .action(async (incident: string, opts: { json?: boolean }, cmd: Command) => {
      const datasets = await withApp(cmd, (app) => app.datasets.list(incident));
      if (opts.json) return printJson(datasets);
      print(
        datasets
          .map(
            (d) =>
              `${d.id}\t${d.fileName}\t${d.sizeBytes} bytes\tsha256:${d.sha256}\tread ${d.rowsRead} valid ${d.rowsValid} quarantined ${d.rowsQuarantined}`,
          )
          .join('\n') || 'no datasets',
      );
    });
  dataset
    .command('quarantine <incident>')
    .description('quarantined rows: file, line and reason (never the values)')
    .option('--limit <n>', 'at most this many rows', '1000')
    .option('--json', 'print JSON')
    .action(async (incident: string, opts: { limit: string; json?: boolean }, cmd: Command) => {
      const rows = await withApp(cmd, (app) => app.datasets.quarantine(incident, Number(opts.limit) || 1000));
      if (opts.json) return printJson(rows);
      print(rows.map((r) => `${r.file_name}:${r.line}: ${r.reason}`).join('\n') || 'no quarantined rows');
    });
}

function collect(value: string, previous: string[]): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}
