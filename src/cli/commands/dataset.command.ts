import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { DATASET_FORMATS, inspectDatasetFile } from '../../services/dataset.service.js';
import { print, printJson, withApp } from '../output.js';
import { terminalProgress } from '../progress.js';

export function registerDatasetCommands(program: Command): void {
  const dataset = program.command('dataset').description("the breached vendor's exported files");
  const importCommand = dataset
    .command('import <incident> <file>')
    .description(
      'stream a vendor export into the incident (format, layout and compression detected from content)',
    );
  mappingOptions(importCommand)
    .option('--strict', 'refuse the import (nothing is written) when any field has no category')
    .option(
      '--threads <n>',
      'threads that parse, hash and seal beside the one that writes (default: 0 for a file under 16 MB, else one less than the cores, up to 3)',
    )
    .option('--json', 'print the import summary as JSON')
    .action(async (incident: string, file: string, opts: ImportOptions, cmd: Command) => {
      const result = await withApp(cmd, (app) =>
        app.datasets.import({
          incidentId: incident,
          path: file,
          format: opts.format,
          orgKeys: opts.orgKey,
          map: opts.map,
          mappingFile: opts.mapping,
          strict: opts.strict,
          threads: threadCount(opts.threads),
          onProgress: opts.json ? undefined : terminalProgress(),
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
    });
  const inspectCommand = dataset
    .command('inspect <file>')
    .description(
      'show the detected format, fields, their categories and a category histogram, without importing',
    );
  mappingOptions(inspectCommand)
    .option('--limit <rows>', 'read at most this many rows')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: ImportOptions & { limit?: string }) => {
      const limit = opts.limit === undefined ? undefined : Math.max(1, Number(opts.limit) || 1);
      const result = await inspectDatasetFile({
        path: file,
        format: opts.format,
        orgKeys: opts.orgKey,
        map: opts.map,
        mappingFile: opts.mapping,
        limit,
      });
      if (opts.json) return printJson(result);
      print(
        [
          `${file}: ${result.format} (${result.layout}, ${result.compression})`,
          `rows ${result.rows} = valid ${result.valid} + quarantined ${result.quarantined}`,
          'fields (records with a value):',
          ...result.fields.map((f) => `  ${f.name}\t${f.category ?? 'UNMAPPED'}\t${f.records}`),
          ...(result.fieldsTruncated ? ['  … more field names than are counted'] : []),
          'categories (records):',
          ...Object.entries(result.categories)
            .filter(([, n]) => n > 0)
            .map(([category, n]) => `  ${category}\t${n}`),
        ].join('\n'),
      );
    });
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
      print(
        rows
          .map((r) => {
            const where = `${r.file_name}${r.source ? `!${r.source}` : ''}:${r.line} (byte ${r.byte_offset})`;
            return `${where}: ${r.reason}${r.field ? ` [field ${r.field}]` : ''}`;
          })
          .join('\n') || 'no quarantined rows',
      );
    });
}

interface ImportOptions {
  format: string;
  orgKey: string[];
  map?: string;
  mapping?: string;
  strict?: boolean;
  threads?: string;
  json?: boolean;
}

function threadCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,3}$/.test(text.trim()))
    throw new UserError(`--threads: "${text}" is not a whole number of threads`);
  return Number(text);
}

function mappingOptions(command: Command): Command {
  return command
    .option('--format <format>', `${DATASET_FORMATS.join(', ')}`, 'auto')
    .option(
      '--org-key <property>',
      'property or $groups key holding organization ids (repeatable; default org_id, organization_id)',
      collect,
      [],
    )
    .option('--map <field=category,…>', "map fields to categories, over the format's own table")
    .option('--mapping <file>', 'a JSON file {"field": "category"} of such mappings (--map wins)');
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
