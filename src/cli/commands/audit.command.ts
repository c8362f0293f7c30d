import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { isUserError, UserError } from '../../core/errors.js';
import type { ChainHead } from '../../core/audit-chain.js';
import type { AuditLine } from '../../services/audit.service.js';
import { print, printJson, printLines, withApp } from '../output.js';

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the hash-chained audit log');
  audit
    .command('verify')
    .description('check that no audit entry was edited, removed, reordered or inserted')
    .option(
      '--anchor <id:hash>',
      'an entry id and hash noted elsewhere earlier (as printed by verify); repeatable',
      collectAnchor,
      [],
    )
    .option('--json', 'print JSON')
    .action(async (opts: { anchor: ChainHead[]; json?: boolean }, cmd: Command) => {
      const verdict = await withApp(cmd, (app) => app.audit.verify({ anchors: opts.anchor }));
      if (opts.json) printJson(verdict);
      else if (verdict.ok)
        print(
          `audit log ok: ${verdict.entries} entries, head ${verdict.head ? `${verdict.head.id}:${verdict.head.hash}` : 'none'}`,
        );
      if (!verdict.ok) {
        const where = verdict.id === null ? '' : ` at entry ${verdict.id}`;
        throw new UserError(`audit log broken${where} (${verdict.reason}): ${verdict.message}`);
      }
    });
  audit
    .command('export')
    .description("the audit log as JSON lines, with each entry's hashes; the export is itself an entry")
    .option('--incident <id>', "only this incident's entries")
    .option('--out <file>', 'write to a new file instead of standard output')
    .action(async (opts: { incident?: string; out?: string }, cmd: Command) => {
      await withApp(cmd, async (app) => {
        const lines = jsonLines(app.audit.export({ incidentId: opts.incident ?? null }));
        if (opts.out === undefined) return printLines(lines);
        const written = await writeLines(opts.out, lines);
        print(`${written} audit entries written to ${opts.out}`);
      });
    });
  audit
    .command('list <incident>')
    .description("one incident's audit entries, oldest first")
    .option('--json', 'print JSON')
    .action(async (incident: string, opts: { json?: boolean }, cmd: Command) => {
      const entries = await withApp(cmd, (app) => app.audit.list(incident));
      if (opts.json) return printJson(entries);
      print(
        entries
          .map(
            (entry) =>
              `${entry.id}\t${entry.at}\t${entry.actor}\t${entry.action}\t${JSON.stringify(entry.detail)}`,
          )
          .join('\n') || 'no audit entries',
      );
    });
}

function collectAnchor(text: string, anchors: ChainHead[]): ChainHead[] {
  const match = /^(\d+):([0-9a-f]{64})$/i.exec(text.trim());
  if (!match) throw new UserError(`--anchor: "${text}" is not ID:HASH (an entry id and 64 hex digits)`);
  return [...anchors, { id: Number(match[1]), hash: match[2]!.toLowerCase() }];
}

async function* jsonLines(entries: AsyncIterable<AuditLine>): AsyncGenerator<string> {
  for await (const entry of entries) yield JSON.stringify(entry);
}

/** Writes to a file that must not exist yet, so an export never overwrites another. */
async function writeLines(path: string, lines: AsyncIterable<string>): Promise<number> {
  let count = 0;
  async function* numbered() {
    for await (const line of lines) {
      count += 1;
      yield `${line}\n`;
    }
  }
  const cannotWrite = (error: NodeJS.ErrnoException) => {
    if (isUserError(error)) throw error;
    throw new UserError(`cannot write ${path}: ${error.code ?? error.message}`);
  };
  // Opened before the first entry is read, so a refused file leaves no export in the log.
  const file = await open(path, 'wx').catch(cannotWrite);
  await pipeline(Readable.from(numbered()), file.createWriteStream()).catch(cannotWrite);
  return count;
}
