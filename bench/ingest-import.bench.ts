// `breachdesk dataset import` alone on the generated Mixpanel People export of bench/ingest.bench.ts
// (NDJSON, ~450 bytes a profile), each run in its own process so it reports its own CPU seconds
// (all threads), wall time and peak RSS. With --against DIR, the same import from another checkout
// (DIR holds its src/) runs alternately in the same session: on a shared machine only CPU seconds
// compared within one run mean much. "busiest thread" is the CPU time of the thread that worked
// most: with idle cores the import's wall time is at least that, and about max(it, cpu / cores).
// The generated file is kept in the OS temp directory.
// Usage: npx tsx bench/ingest-import.bench.ts [N=200000] [--runs 2] [--against DIR] [--threads 0,2]
//        [--db postgres://…] [--dataset FILE] [--base-db FILE]
// --dataset imports that file instead of a generated one; --base-db copies that SQLite database
// (e.g. one holding an imported directory) for each run and imports into the copy (TMPDIR=/dev/shm
// keeps the copies off a full disk). Each line also lists every thread's CPU seconds and the
// importing thread's peak heap; with BENCH_MEMORY=1 the child (`--import ROOT FILE DB [THREADS]`,
// run alone) prints its heap spaces and memory at the peak RSS on stderr.
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, readFileSync, readdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { getHeapSpaceStatistics } from 'node:v8';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import type * as AppModule from '../src/app.js';
import type * as ConfigModule from '../src/config.js';

const run = promisify(execFile);
const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};

interface Measure {
  wall: number;
  cpu: number;
  /** CPU seconds of the busiest thread: on idle cores the import takes at least this long. */
  busiest: number;
  /** CPU seconds of the importing (main) thread: reading, splitting, and every write to SQLite. */
  importing: number;
  rss: number;
  /** CPU seconds of every thread that worked at least a tenth of a second, busiest first. */
  threads: number[];
  /** Peak heap (MB) of the importing thread, and of memory outside it (Buffers, SQLite's cache…). */
  heap: number;
  read: number;
  valid: number;
}

if (args[0] === '--import') {
  const [, root, dataset, db, threads] = args;
  console.log(JSON.stringify(await importOnce(root!, dataset!, db!, threads ? Number(threads) : undefined)));
} else {
  await main();
}

async function importOnce(
  root: string,
  dataset: string,
  db: string,
  threads: number | undefined,
): Promise<Measure> {
  const { createApp } = (await import(pathToFileURL(join(root, 'src/app.ts')).href)) as typeof AppModule;
  const { DEFAULT_COMPANY } = (await import(
    pathToFileURL(join(root, 'src/config.ts')).href
  )) as typeof ConfigModule;
  const keyFile = join(tmpdir(), 'breachdesk-import-bench.key');
  const app = await createApp({
    config: { db, actor: 'bench', company: DEFAULT_COMPANY, key: { envKey: 'b'.repeat(64), keyFile } },
  });
  try {
    const vendor = await app.vendors.add({ name: `Vendor ${Date.now()}`, categories: 'identifier' });
    const incident = await app.incidents.open({ vendor: vendor.name, title: 'bench', exposed: 'identifier' });
    const threadsBefore = threadCpu();
    const threadsSeen = new Map<string, number>();
    let heap = 0;
    let peakMemory: NodeJS.MemoryUsage | undefined;
    let spaces = '';
    const sample = () => {
      for (const [id, seconds] of threadCpu()) threadsSeen.set(id, seconds);
      const memory = process.memoryUsage();
      heap = Math.max(heap, memory.heapTotal);
      if (process.env.BENCH_MEMORY && memory.rss > (peakMemory?.rss ?? 0)) {
        peakMemory = memory;
        spaces = getHeapSpaceStatistics()
          .map(
            (space) =>
              `${space.space_name} ${Math.round(space.space_size / 2 ** 20)}/${Math.round(space.space_used_size / 2 ** 20)}`,
          )
          .join(', ');
      }
    };
    const sampler = setInterval(sample, 200);
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const result = await app.datasets.import({
      incidentId: incident.id,
      path: dataset,
      format: 'auto',
      threads,
    });
    const cpu = process.cpuUsage(cpuStart);
    clearInterval(sampler);
    sample();
    const worked = [...threadsSeen]
      .map(([id, seconds]) => seconds - (threadsBefore.get(id) ?? 0))
      .filter((seconds) => seconds >= 0.1)
      .sort((a, b) => b - a);
    const busiest = Math.max(...worked);
    const main = String(process.pid);
    if (peakMemory) console.error(spaces);
    if (peakMemory)
      console.error(
        JSON.stringify(
          Object.fromEntries(Object.entries(peakMemory).map(([k, v]) => [k, Math.round(v / 2 ** 20)])),
        ),
      );
    return {
      wall: (performance.now() - start) / 1000,
      cpu: (cpu.user + cpu.system) / 1e6,
      busiest,
      importing: (threadsSeen.get(main) ?? 0) - (threadsBefore.get(main) ?? 0),
      rss: Math.round(process.resourceUsage().maxRSS / 1024),
      threads: worked,
      heap: Math.round(heap / 2 ** 20),
      read: result.read,
      valid: result.valid,
    };
  } finally {
    await app.close();
  }
}

/** CPU seconds of each thread of this process so far, from /proc (Linux); empty elsewhere. */
function threadCpu(): Map<string, number> {
  const seconds = new Map<string, number>();
  let ids: string[] = [];
  try {
    ids = readdirSync('/proc/self/task');
  } catch {
    return seconds;
  }
  for (const id of ids) {
    try {
      const fields = readFileSync(`/proc/self/task/${id}/stat`, 'utf8').split(') ')[1]!.split(' ');
      // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
      seconds.set(id, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return seconds;
}

async function generated(n: number): Promise<string> {
  const data = join(tmpdir(), `breachdesk-import-bench-${n}`);
  const dataset = join(data, 'people.ndjson');
  if (existsSync(dataset)) return dataset;
  const { writeDemoCase } = await import('../src/adapters/demo-case.js');
  const written = await writeDemoCase(data, {
    profiles: n,
    accounts: n,
    organizations: Math.max(1, Math.round(n / 5)),
  });
  await pipeline(createReadStream(written.dataset), createGunzip(), createWriteStream(`${dataset}.part`));
  await run('mv', [`${dataset}.part`, dataset]);
  return dataset;
}

async function measure(
  root: string,
  dataset: string,
  database: string | undefined,
  threads: string | undefined,
  baseDb: string | undefined,
): Promise<Measure> {
  const dir = await mkdtemp(join(tmpdir(), 'breachdesk-import-bench-db-'));
  try {
    const db = database ?? join(dir, 'bench.db');
    if (baseDb !== undefined && database === undefined) await copyFile(baseDb, db);
    const child = ['tsx', import.meta.filename, '--import', root, dataset, db, ...(threads ? [threads] : [])];
    const { stdout } = await run('npx', child, {
      maxBuffer: 1 << 24,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as Measure;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function show(label: string, m: Measure, n: number) {
  const rate = Math.round(n / m.wall).toLocaleString('en-US');
  console.log(
    `${label.padEnd(12)} wall ${m.wall.toFixed(2).padStart(7)} s  cpu ${m.cpu.toFixed(2).padStart(7)} s  busiest thread ${m.busiest.toFixed(2).padStart(6)} s  importing thread ${m.importing.toFixed(2).padStart(6)} s  ${rate.padStart(9)} rows/s  peak RSS ${m.rss} MB (importing thread's heap ${m.heap} MB)  threads ${m.threads.map((t) => t.toFixed(1)).join(' ')}  (read ${m.read}, valid ${m.valid})`,
  );
}

async function main() {
  const n = Number(args[0] && !args[0].startsWith('--') ? args[0] : 200_000);
  const runs = Number(option('--runs') ?? 2);
  const against = option('--against');
  const database = option('--db');
  const baseDb = option('--base-db');
  // Each value is one import per run: "--threads 0,2" compares in-thread with two threads.
  const threadCounts = (option('--threads') ?? '').split(',').map((t) => (t === '' ? undefined : t));
  const given = option('--dataset');
  const dataset = given === undefined ? await generated(n) : resolve(given);
  const here = resolve(import.meta.dirname, '..');
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  console.log(
    `N = ${n.toLocaleString('en-US')}, ${database ? 'postgres' : 'sqlite'}, load average ${load()}`,
  );
  const totals = { here: 0, against: 0 };
  for (let i = 0; i < runs; i++) {
    if (against) {
      const base = await measure(resolve(against), dataset, database, undefined, baseDb);
      show('baseline', base, n);
      totals.against += base.cpu;
    }
    for (const threads of threadCounts) {
      const mine = await measure(here, dataset, database, threads, baseDb);
      show(threads === undefined ? 'this tree' : `threads ${threads}`, mine, n);
      if (threads === threadCounts[0]) totals.here += mine.cpu;
    }
  }
  if (against) console.log(`cpu ratio this tree / baseline: ${(totals.here / totals.against).toFixed(2)}`);
  console.log(`load average ${load()}`);
}
