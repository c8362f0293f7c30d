// `directory import` of one set of files (accounts, organizations, memberships CSV) by two checkouts
// of breachdesk, each run in a child process of its own into a fresh SQLite database (or a fresh
// database on one PostgreSQL server), alternating base and this checkout, so both meet the same
// machine load. Prints each run's wall and CPU seconds and peak RSS, then the medians and the ratio.
// The base is any checkout with `src/app.ts` (e.g. `git archive main src package.json tsconfig.json`
// unpacked next to a `node_modules` link).
// Usage: npx tsx bench/directory-import.bench.ts DATA_DIR BASE_CHECKOUT [RUNS=2] [--db postgres://…]
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type * as AppExports from '../src/app.js';
import type * as ConfigExports from '../src/config.js';

const run = promisify(execFile);
type AppModule = typeof AppExports;
type ConfigModule = typeof ConfigExports;
const HERE = resolve(import.meta.dirname, '..');

interface Figures {
  seconds: number;
  cpu: number;
  rss: number;
  counts: unknown;
}

if (process.argv[2] === '--child') {
  const [, , , root, data, db, keyFile] = process.argv;
  const { createApp } = (await import(pathToFileURL(join(root!, 'src/app.ts')).href)) as AppModule;
  const { DEFAULT_COMPANY } = (await import(
    pathToFileURL(join(root!, 'src/config.ts')).href
  )) as ConfigModule;
  const app = await createApp({
    config: {
      db: db!,
      actor: 'bench',
      company: DEFAULT_COMPANY,
      key: { envKey: 'b'.repeat(64), keyFile: keyFile! },
    },
  });
  try {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const counts = await app.directory.import({
      accounts: join(data!, 'accounts.csv'),
      organizations: join(data!, 'organizations.csv'),
      memberships: join(data!, 'memberships.csv'),
    });
    const cpu = process.cpuUsage(cpuStart);
    const figures: Figures = {
      seconds: (performance.now() - start) / 1000,
      cpu: (cpu.user + cpu.system) / 1e6,
      rss: Math.round(process.resourceUsage().maxRSS / 1024),
      counts,
    };
    console.log(JSON.stringify(figures));
  } finally {
    await app.close();
  }
} else {
  await main();
}

async function main() {
  const data = resolve(process.argv[2] ?? '');
  const base = resolve(process.argv[3] ?? '');
  const positional = process.argv.slice(4).filter((arg, i, all) => arg !== '--db' && all[i - 1] !== '--db');
  const runs = Number(positional[0] ?? 2);
  const dbFlag = process.argv.indexOf('--db');
  const postgres = dbFlag > 0 ? process.argv[dbFlag + 1]! : undefined;
  const dir = await mkdtemp(join(tmpdir(), 'breachdesk-directory-bench-'));
  const results: Record<'base' | 'this', Figures[]> = { base: [], this: [] };
  console.log(`directory import of ${data}; database ${postgres ? 'postgres' : 'sqlite'}; base ${base}`);
  try {
    for (let i = 0; i < runs; i++) {
      // Alternating which goes first keeps a trend in the machine's load from favouring one.
      const order: ('base' | 'this')[] = i % 2 === 0 ? ['base', 'this'] : ['this', 'base'];
      for (const variant of order) {
        const db = postgres
          ? await freshDatabase(postgres, `${variant}${i}`)
          : join(dir, `${variant}-${i}.db`);
        const load = loadavg()[0]!.toFixed(2);
        const { stdout } = await run(
          process.execPath,
          [
            '--import',
            'tsx',
            import.meta.filename,
            '--child',
            variant === 'base' ? base : HERE,
            data,
            db,
            join(dir, 'k'),
          ],
          { maxBuffer: 1 << 24 },
        );
        const figures = JSON.parse(stdout.trim().split('\n').pop()!) as Figures;
        results[variant].push(figures);
        console.log(
          `${variant.padEnd(5)} run ${i + 1}: ${figures.seconds.toFixed(2).padStart(7)} s wall, cpu ${figures.cpu.toFixed(2).padStart(7)} s, peak RSS ${figures.rss} MB, load before ${load}  ${JSON.stringify(figures.counts)}`,
        );
        if (!postgres) await rm(db, { force: true });
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const median = (values: number[]) => {
    const sorted = values.sort((a, b) => a - b);
    const middle = sorted.length / 2;
    return Number.isInteger(middle)
      ? (sorted[middle - 1]! + sorted[middle]!) / 2
      : sorted[Math.floor(middle)]!;
  };
  const summary = (variant: 'base' | 'this') => ({
    seconds: median(results[variant].map((r) => r.seconds)),
    cpu: median(results[variant].map((r) => r.cpu)),
    rss: Math.max(...results[variant].map((r) => r.rss)),
  });
  const before = summary('base');
  const after = summary('this');
  for (const [label, s] of [
    ['base', before],
    ['this', after],
  ] as const) {
    console.log(
      `${label.padEnd(5)} median ${s.seconds.toFixed(2)} s wall, cpu ${s.cpu.toFixed(2)} s, highest peak RSS ${s.rss} MB`,
    );
  }
  console.log(
    `ratio base/this: wall ${(before.seconds / after.seconds).toFixed(2)}x, cpu ${(before.cpu / after.cpu).toFixed(2)}x, peak RSS ${(before.rss / after.rss).toFixed(2)}x`,
  );
}

/** The URL of a new, empty database on the server of `url` (the app migrates it on open). */
async function freshDatabase(url: string, name: string): Promise<string> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const database = `directory_bench_${name}_${process.pid}`;
  try {
    await client.query(`drop database if exists ${database}`);
    await client.query(`create database ${database}`);
  } finally {
    await client.end();
  }
  const fresh = new URL(url);
  fresh.pathname = `/${database}`;
  return fresh.toString();
}
