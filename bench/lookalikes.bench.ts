// Lookalike generation against dnstwist (Debian's, the peer), for the same domains in the same run.
// dnstwist runs as `dnstwist --format list DOMAIN` (a process: its time includes starting Python,
// so a floor, `python3 -c "import dnstwist"`, is measured too and subtracted for a generation-only
// estimate); ours is timed in-process. Each figure is the median of several runs. Also prints
// permutations/s, both counts and whether ours is a superset, and one whole CLI process of ours.
// Usage: npx tsx bench/lookalikes.bench.ts [--runs N] [DOMAIN…]
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { lookalikeDomains } from '../src/core/lookalike-domains.js';

const run = promisify(execFile);
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Math.max(1, Number(args.splice(runsAt, 2)[1]) || 3) : 3;
const domains =
  args.length > 0
    ? args
    : ['ab.io', 'paypal.com', 'my-brand.com', 'example.co.uk', 'mammut.com', 'northwindtraders.com'];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(command: string, argv: string[]): Promise<{ seconds: number; stdout: string }> {
  const start = performance.now();
  const { stdout } = await run(command, argv, { maxBuffer: 512 * 1024 * 1024 });
  return { seconds: (performance.now() - start) / 1000, stdout };
}

async function processSeconds(command: string, argv: string[]): Promise<{ seconds: number; stdout: string }> {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await timed(command, argv));
  return { seconds: median(results.map((r) => r.seconds)), stdout: results[0]!.stdout };
}

function ourSeconds(domain: string): { seconds: number; punycodes: Set<string> } {
  const punycodes = new Set(lookalikeDomains(domain).map((l) => l.punycode));
  const times = [];
  for (let i = 0; i < Math.max(runs, 5); i++) {
    const start = performance.now();
    lookalikeDomains(domain);
    times.push((performance.now() - start) / 1000);
  }
  return { seconds: median(times), punycodes };
}

const floor = (await processSeconds('/usr/bin/python3', ['-c', 'import dnstwist'])).seconds;
console.log(
  `dnstwist start-up floor (python3 -c "import dnstwist"): ${(floor * 1000).toFixed(0)} ms; ${runs} runs each\n`,
);
console.log(
  [
    'domain'.padEnd(22),
    'dnstwist'.padStart(8),
    'ours'.padStart(7),
    'dnstwist s'.padStart(10),
    '− floor s'.padStart(9),
    'ours s'.padStart(8),
    'ratio'.padStart(7),
    'ratio−fl'.padStart(8),
    'ours perm/s'.padStart(12),
    'superset',
  ].join(' '),
);
for (const domain of domains) {
  const peer = await processSeconds('dnstwist', ['--format', 'list', domain]);
  const theirs = peer.stdout
    .split('\n')
    .map((line) => line.trim().toLowerCase())
    .filter(Boolean);
  const ours = ourSeconds(domain);
  const missing = theirs.filter((name) => !ours.punycodes.has(name)).length;
  const generation = Math.max(peer.seconds - floor, 0);
  console.log(
    [
      domain.padEnd(22),
      String(theirs.length).padStart(8),
      String(ours.punycodes.size).padStart(7),
      peer.seconds.toFixed(3).padStart(10),
      generation.toFixed(3).padStart(9),
      ours.seconds.toFixed(3).padStart(8),
      `${(peer.seconds / ours.seconds).toFixed(1)}×`.padStart(7),
      `${(generation / ours.seconds).toFixed(1)}×`.padStart(8),
      Math.round(ours.punycodes.size / ours.seconds)
        .toString()
        .padStart(12),
      missing === 0 ? 'yes' : `NO (${missing} missing)`,
    ].join(' '),
  );
}

const last = domains.at(-1)!;
const cli = await processSeconds('node', [resolve('bin/breachdesk.js'), 'monitor', 'lookalikes', last]);
const peer = await processSeconds('dnstwist', ['--format', 'list', last]);
console.log(
  `\nwhole process for ${last}: breachdesk monitor lookalikes ${cli.seconds.toFixed(3)} s ` +
    `(Node.js and tsx start-up included), dnstwist ${peer.seconds.toFixed(3)} s`,
);
