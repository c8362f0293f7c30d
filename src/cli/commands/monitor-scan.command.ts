import type { Command } from 'commander';
import { createMonitorService } from '../../app.js';
import type { Verdict } from '../../core/verdict.js';
import { identityFromOptions, type ScanLine } from '../../services/monitor.service.js';
import { printLines, withApp } from '../output.js';

interface ScanOptions {
  json?: boolean;
  brand?: string;
  official?: string;
  links?: string;
  services?: string;
  dns?: string;
}

export function registerMonitorScanCommand(monitor: Command): void {
  monitor
    .command('scan <paths...>')
    .description('judge raw messages (.eml files, mbox files, folders) as phishing, suspicious or clean')
    .option('--json', 'one JSON object per message per line')
    .option(
      '--brand <names>',
      'judge against these brand names instead of the stored identity (comma-separated)',
    )
    .option('--official <domains>', "the company's sending and link domains (comma-separated)")
    .option('--links <domains>', 'further domains the company links to')
    .option('--services <domains>', 'sending services that send for the company (e.g. sendgrid.net)')
    .option('--dns <source>', 'system (default), offline, or a folder of captured records (name.dns files)')
    .action(async (paths: string[], opts: ScanOptions, cmd: Command) => {
      const given = identityFromOptions({
        brands: opts.brand,
        official: opts.official,
        links: opts.links,
        services: opts.services,
      });
      const options = { identity: given ?? undefined, dns: opts.dns };
      const format = opts.json ? jsonLine : textLine;
      if (given) {
        await printLines(mapLines(createMonitorService().scanFiles(paths, options), format));
        return;
      }
      await withApp(cmd, (app) => printLines(mapLines(app.monitor.scanFiles(paths, options), format)));
    });
}

async function* mapLines(
  lines: AsyncIterable<ScanLine>,
  format: (line: ScanLine) => string,
): AsyncGenerator<string> {
  for await (const line of lines) yield format(line);
}

function jsonLine(line: ScanLine): string {
  return JSON.stringify(line);
}

function textLine(line: ScanLine): string {
  const where = line.message ? `${line.file}#${line.message}` : line.file;
  if ('error' in line) return `${where}\terror\t${line.error}`;
  return `${where}\t${line.verdict}\t${line.score}\t${codes(line)}`;
}

function codes(verdict: Verdict): string {
  return verdict.reasons.map((r) => r.code).join(',') || '-';
}
