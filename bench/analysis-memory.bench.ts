// Peak RSS of each statement of match + impact, split into anonymous memory (heaps: SQLite's page
// cache, sorts and temp b-trees, V8), file-backed and shared (the WAL index) pages. A worker thread
// samples /proc/self/status every few milliseconds, since a statement blocks the main thread until
// it ends. The statements are ImpactService's own (`rebuildMatches`, through `bulkRebuild` as the
// service runs it), then the count's, in one transaction rolled back at the end, so the database is
// left as it was.
// With --read-only (for a database too big to copy, or to rebuild within the free disk): each write
// statement's reading part (an insert's select, an update's from and where) is stepped through on a
// read-only handle instead; its sorts and temp b-trees are the same, its writes are not made.
// Usage: npx tsx bench/analysis-memory.bench.ts DB INCIDENT [--read-only] [--only totals,...]
//        [--pragma 'cache_size = -65536']...
// (BREACHDESK_KEY or the key file next to DB; each --pragma runs after opening, to compare variants;
// SQLITE_TMPDIR places the temp files)
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type SqliteDatabase, type SqliteStatement } from 'kysely';
import { Worker } from 'node:worker_threads';
import { systemClock } from '../src/adapters/clock.js';
import { createApp } from '../src/app.js';
import { DEFAULT_COMPANY, defaultKeyFile } from '../src/config.js';
import type { DialectCapabilities } from '../src/db/database.js';
import { DatasetRepository } from '../src/db/dataset.repository.js';
import { ImpactRepository } from '../src/db/impact.repository.js';
import { MatchRepository } from '../src/db/match.repository.js';
import { unitOfWork } from '../src/db/repositories.js';
import type { Database } from '../src/db/schema.js';
import { SummaryRepository } from '../src/db/summary.repository.js';
import { rebuildMatches } from '../src/services/impact.service.js';

const [db, incidentId] = process.argv.slice(2) as [string, string];
const readOnly = process.argv.includes('--read-only');
const pragmas = process.argv.flatMap((arg, i) => (process.argv[i - 1] === '--pragma' ? [arg] : []));
// Only these statements (comma-separated), on a database whose incident is analysed already.
const only = process.argv.flatMap((arg, i) => (process.argv[i - 1] === '--only' ? arg.split(',') : []));
// Run whatever --only says: opening, closing, and the step whose result a later one takes.
const ALWAYS = /^(open|close|rollback|dropPersonIndexes)/;
const LABEL = 46;
const FIELDS = ['VmRSS', 'RssAnon', 'RssFile', 'RssShmem'] as const;
const PHASES = 48;
// Per phase, the highest of each field (KiB); the last slot holds the current phase.
const shared = new Int32Array(new SharedArrayBuffer(4 * (PHASES * FIELDS.length + 1)));

const sampler = new Worker(
  `const { workerData, parentPort } = require('node:worker_threads');
   const { readFileSync } = require('node:fs');
   const fields = ${JSON.stringify(FIELDS)};
   const phaseSlot = ${PHASES * FIELDS.length};
   parentPort.postMessage('sampling');
   setInterval(() => {
     const text = readFileSync('/proc/self/status', 'utf8');
     const phase = Atomics.load(workerData, phaseSlot);
     fields.forEach((field, i) => {
       const kib = Number(new RegExp(field + ':\\\\s+(\\\\d+)').exec(text)[1]);
       const slot = phase * fields.length + i;
       if (kib > Atomics.load(workerData, slot)) Atomics.store(workerData, slot, kib);
     });
   }, 3);`,
  { eval: true, workerData: shared },
);

let phases = 0;
let rowsRead = 0;
const mb = (kib: number) => String(Math.round(kib / 1024)).padStart(8);

async function phase<T>(label: string, work: () => Promise<T>): Promise<T> {
  // A skipped step's result is not used (ALWAYS lists the one that is).
  if (only.length > 0 && !only.includes(label) && !ALWAYS.test(label)) return undefined as T;
  const index = phases++;
  Atomics.store(shared, PHASES * FIELDS.length, index);
  const start = performance.now();
  const cpu = process.cpuUsage();
  rowsRead = 0;
  const result = await work();
  const used = process.cpuUsage(cpu);
  // One more sample after the statement, so a short one is seen at all.
  await new Promise((resolve) => setTimeout(resolve, 10));
  const peaks = FIELDS.map((_, i) => mb(shared[index * FIELDS.length + i]!)).join('');
  console.log(
    `${label.padEnd(LABEL)}${((performance.now() - start) / 1000).toFixed(2).padStart(9)} s${((used.user + used.system) / 1e6).toFixed(2).padStart(9)} s${peaks}${mb(process.resourceUsage().maxRSS)}${mb(process.memoryUsage().heapTotal / 1024)}${readOnly ? ` ${rowsRead} rows` : ''}`,
  );
  return result;
}

/** What a write statement reads, as a query; null for a delete or an insert of values. */
function readingPart(text: string): string | null {
  const t = text.trim();
  if (/^delete /i.test(t)) return null;
  if (/^insert /i.test(t)) {
    const select = t.search(/\bselect\b/);
    // An upsert's conflict clause is the insert's, not the select's.
    return select < 0 ? null : t.slice(select).replace(/\s+on conflict\b[\s\S]*$/i, '');
  }
  const update = /^update (\w+) set /i.exec(t);
  if (!update) return t;
  // The first line starting with `from` is the update's; its last `where` is the update's too.
  const from = t.slice(t.search(/\n\s*from /)).replace(/^\s*from /, '');
  const where = from.lastIndexOf('where ');
  return `select 1 from ${update[1]}, ${from.slice(0, where).trim()} where ${from.slice(where + 6)}`;
}

/** A read-only handle whose writes step through their reading part and change nothing. */
function readingHandle(): SqliteDatabase {
  const sqlite = new BetterSqlite3(db, { readonly: true });
  // As openSqlite, before the variants.
  for (const pragma of ['cache_size = -16384', 'temp_store = FILE', ...pragmas]) sqlite.pragma(pragma);
  sqlite.aggregate('bit_or', { start: 0, step: (union: number, mask: number | null) => union | (mask ?? 0) });
  return {
    close: () => sqlite.close(),
    prepare(text: string): SqliteStatement {
      const reading = readingPart(text);
      if (reading === text.trim()) return sqlite.prepare(text);
      const statement = reading === null ? null : sqlite.prepare(reading).raw();
      return {
        reader: false,
        all: () => [],
        iterate: () => [][Symbol.iterator](),
        run: (parameters: readonly unknown[]) => {
          if (statement) {
            const rows = statement.iterate(...parameters);
            while (!rows.next().done) rowsRead += 1;
          }
          return { changes: rowsRead, lastInsertRowid: 0 };
        },
      };
    },
  };
}

console.log(
  `${db} ${incidentId}${readOnly ? ' read-only' : ''}; pragmas: ${pragmas.join('; ') || '(as opened)'}`,
);
console.log(
  `${'statement'.padEnd(LABEL)}${'wall'.padStart(11)}${'cpu'.padStart(11)}${[...FIELDS, 'maxRSS', 'V8 heap'].map((f) => f.padStart(8)).join('')}  (MB)`,
);
await new Promise((resolve) => sampler.once('message', resolve));
const rollback = new Error('rolled back');
// The matching's writes are stepped through (readingHandle), so nothing to drop or give room to.
const readingCapabilities: Partial<DialectCapabilities> = {
  plansNeedRebuiltStatistics: false,
  dropsIndexesForBulkLoad: false,
  probesInKeyOrder: true,
  roomForSorts: () => Promise.resolve(),
};
// Rolled back: any stamp is the same statement.
const stamp = { stamp: 'analysis-memory bench', clock: systemClock };
if (readOnly) {
  let kysely!: Kysely<Database>;
  await phase('open (app loaded)', async () => {
    // The same modules in memory as the app that runs the analysis.
    await import('../src/app.js');
    kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: readingHandle() }) });
  });
  const matches = new MatchRepository(kysely, readingCapabilities as DialectCapabilities);
  await rebuildMatches({ matches, summaries: new SummaryRepository(kysely) }, incidentId, stamp, phase);
  await counts({
    impact: new ImpactRepository(kysely, readingCapabilities as DialectCapabilities),
    datasets: new DatasetRepository(kysely, readingCapabilities as DialectCapabilities),
  });
  await phase('close', () => kysely.destroy());
} else {
  let app!: Awaited<ReturnType<typeof createApp>>;
  await phase('open (app loaded)', async () => {
    app = await createApp({
      config: {
        db,
        actor: 'bench',
        company: DEFAULT_COMPANY,
        key: { envKey: process.env.BREACHDESK_KEY, keyFile: defaultKeyFile(db) },
      },
    });
    for (const pragma of pragmas) await sql.raw(`pragma ${pragma}`).execute(app.store.db);
  });
  const uow = unitOfWork(app.store);
  const { matches } = uow.repos;
  // As ImpactService.rebuildIfStale: statistics, then the rebuild in its journal and transaction.
  await phase('refreshStatistics', () => matches.refreshStatistics());
  await matches
    .bulkRebuild(() =>
      uow.transaction(async (repos) => {
        await rebuildMatches(repos, incidentId, stamp, phase);
        await counts(repos);
        throw rollback;
      }),
    )
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
  await phase('rollback + close', () => app.close());
}
await sampler.terminate();

/** The count's statements, which ImpactService runs after the rebuild. */
async function counts(r: { impact: ImpactRepository; datasets: DatasetRepository }): Promise<void> {
  await phase('totals', () => r.impact.totals(incidentId));
  await phase('peopleByKind', () => r.impact.peopleByKind(incidentId));
  await phase('categoryCounts', () => r.impact.categoryCounts(incidentId));
  await phase('recordTotals', () => r.datasets.recordTotals(incidentId));
}
