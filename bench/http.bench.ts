// The HTTP API under load: an incident of N exposed records (default 1,000,000) loaded, then 50
// concurrent keep-alive clients on loopback for a fixed time per phase. The server runs in its own
// process, so the load generator does not share its event loop. Baseline in the same run: the
// cheapest signed-in route (GET /api/session: cookie → session row → answer), next to the incident
// summary and person search (by account id and by address, half each). Each phase also prints the
// server process's CPU per request (Linux /proc): on a shared machine latency is mostly the wait for
// a core, and that figure is what the server itself costs.
// Usage: npx tsx bench/http.bench.ts [N=1000000] [--db postgres://…] [--clients 50[,10…]] [--seconds 10]
//        [--rounds 1: measure every phase this many times, then print the medians]
//        [--dir DIR: keep the generated case and database there, and resume from them]
//        [--cpu-prof DIR: write the server's CPU profile there, for Chrome DevTools]
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { writeDemoCase, type DemoCaseFiles } from '../src/adapters/demo-case.js';
import { createSmtpSender } from '../src/adapters/smtp-sender.js';
import { createApp, type App } from '../src/app.js';
import { DEFAULT_COMPANY } from '../src/config.js';
import { base32Decode, hotp, totpStep } from '../src/core/totp.js';
import { buildServer } from '../src/http/server.js';

const KEY = 'b'.repeat(64);
// Linux's USER_HZ: /proc reports CPU time in these ticks on every common architecture.
const CLOCK_TICKS = 100;
const PASSWORD = 'bench password that is long';
const option = (name: string, fallback: string) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1]! : fallback;
};

function open(db: string, dir: string): Promise<App> {
  return createApp({
    config: { db, actor: 'bench', company: DEFAULT_COMPANY, key: { envKey: KEY, keyFile: join(dir, 'k') } },
  });
}

if (process.argv[2] === '--serve') {
  const [db, dir] = [process.argv[3]!, process.argv[4]!];
  const app = await open(db, dir);
  const server = await buildServer({
    app,
    sending: { connect: () => createSmtpSender({ url: 'smtp://127.0.0.1:1' }) },
  });
  console.log(await server.listen({ host: '127.0.0.1', port: 0 }));
  process.stdin.resume();
  process.stdin.on('end', () => void server.close().then(() => app.close()));
} else {
  await main();
}

async function main() {
  const n = Number(/^\d+$/.test(process.argv[2] ?? '') ? process.argv[2] : 1_000_000);
  const clientCounts = option('--clients', '50').split(',').map(Number);
  const rounds = Number(option('--rounds', '1'));
  const seconds = Number(option('--seconds', '10'));
  const kept = option('--dir', '');
  const dir = kept || (await mkdtemp(join(tmpdir(), 'breachdesk-http-bench-')));
  const db = option('--db', join(dir, 'bench.db'));
  try {
    const started = performance.now();
    const state = await load(dir, db, n);
    console.log(
      `N = ${state.records.toLocaleString('en-US')} exposed records, ${state.people.toLocaleString('en-US')} people, ` +
        `database ${db.startsWith('postgres') ? 'postgres' : 'sqlite'}; loaded in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    const { files, incidentId } = state;
    const incident = { id: incidentId };
    const user = { totp: { secret: state.secret } };
    const samples = await sampleAccounts(files.accounts, 10_000);
    const profile = option('--cpu-prof', '');
    const profiling = profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : [];
    const server = spawn(
      process.execPath,
      [...profiling, '--import', 'tsx', 'bench/http.bench.ts', '--serve', db, dir],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    const base = await firstLine(server.stdout);
    try {
      const agent = new Agent({ keepAlive: true, maxSockets: Math.max(...clientCounts) });
      const secret = base32Decode(user.totp.secret);
      const signIn = () =>
        call(agent, base, {
          method: 'POST',
          path: '/api/session',
          body: { email: 'bench@example.com', password: PASSWORD, code: hotp(secret, totpStep(new Date())) },
        });
      let login = await signIn();
      if (login.status !== 200) {
        // A code is accepted once: a run started within 30 s of the last one waits for the next.
        await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() % 30_000) + 500));
        login = await signIn();
      }
      if (login.status !== 200 || !login.cookie) {
        throw new Error(`bench sign-in failed: ${login.status} ${login.body.slice(0, 200)}`);
      }
      const cookie = login.cookie;
      const csrf = (JSON.parse(login.body) as { csrfToken: string }).csrfToken;
      const headers = { cookie, 'x-csrf-token': csrf };
      console.log(
        `${clientCounts.join(' then ')} concurrent keep-alive clients, ${seconds} s a phase, ${rounds} round(s), ` +
          `server in its own process; ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}`,
      );
      const phases: [string, (i: number) => Req][] = [
        ['baseline GET /api/session', () => ({ method: 'GET', path: '/api/session', headers })],
        [
          'GET /api/incidents/:id/summary',
          () => ({ method: 'GET', path: `/api/incidents/${incident.id}/summary`, headers }),
        ],
        [
          'POST /api/incidents/:id/people/search',
          (i) => {
            const sample = samples[i % samples.length]!;
            return {
              method: 'POST',
              path: `/api/incidents/${incident.id}/people/search`,
              headers,
              body: i % 2 === 0 ? { accountId: sample.id } : { address: sample.email },
            };
          },
        ],
      ];
      // Warm the server (JIT, caches) on every phase before any is measured, so order does not matter.
      for (const [, make] of phases) await runLoad(agent, base, make, Math.max(...clientCounts), 2);
      for (const count of clientCounts) {
        const results = new Map<string, Stats[]>(phases.map(([name]) => [name, []]));
        for (let round = 1; round <= rounds; round += 1) {
          for (const [name, make] of phases) {
            const cpuBefore = cpuSeconds(server.pid!);
            const stats = await runLoad(agent, base, make, count, seconds);
            const cpuMs = ((cpuSeconds(server.pid!) - cpuBefore) * 1000) / stats.count;
            results.get(name)!.push(stats);
            console.log(
              `${count} clients, round ${round}: ${name.padEnd(38)} ${stats.rps.toFixed(0).padStart(5)} req/s  ` +
                `p50 ${ms(stats.p50)}  p95 ${ms(stats.p95)}  p99 ${ms(stats.p99)}  max ${ms(stats.max)}  ` +
                `server CPU ${cpuMs.toFixed(2)} ms/req  load ${loadavg()[0]!.toFixed(1)}  non-200 ${stats.errors}`,
            );
          }
        }
        const baseline = median(results.get(phases[0]![0])!.map((stats) => stats.p95));
        for (const [name] of phases.slice(1)) {
          const runs = results.get(name)!;
          const p95 = median(runs.map((stats) => stats.p95));
          console.log(
            `${count} clients, median of ${rounds}: ${name}: ${median(runs.map((stats) => stats.rps)).toFixed(0)} req/s, ` +
              `p50 ${ms(median(runs.map((stats) => stats.p50)))}, p95 ${ms(p95)} (target < 100 ms: ${p95 < 100 ? 'met' : 'NOT met'}; ` +
              `worst round ${ms(Math.max(...runs.map((stats) => stats.p95)))}), p99 ${ms(median(runs.map((stats) => stats.p99)))}, ` +
              `${(p95 / baseline).toFixed(2)}x the baseline's p95`,
          );
        }
      }
      agent.destroy();
    } finally {
      server.stdin.end();
      await new Promise((resolve) => server.on('exit', resolve));
    }
  } finally {
    if (!kept) await rm(dir, { recursive: true, force: true });
  }
}

interface LoadState {
  files: DemoCaseFiles;
  incidentId: string;
  loaded: boolean;
  records: number;
  people: number;
  secret: string;
}

/**
 * Generates and loads the case, analyzes it and adds the user; with --dir, each finished step is
 * written to state.json so a later run (the loading takes minutes at 1,000,000) starts from there.
 */
async function load(dir: string, db: string, n: number): Promise<LoadState> {
  const statePath = join(dir, 'state.json');
  const saved = existsSync(statePath)
    ? (JSON.parse(readFileSync(statePath, 'utf8')) as Partial<LoadState>)
    : {};
  const save = (state: Partial<LoadState>) => writeFileSync(statePath, JSON.stringify(state));
  const files =
    saved.files ??
    (await writeDemoCase(join(dir, 'input'), {
      profiles: n,
      accounts: n,
      organizations: Math.max(1, Math.round(n / 5)),
    }));
  save({ files });
  const app = await open(db, dir);
  try {
    let incidentId = saved.incidentId;
    if (!incidentId || !saved.loaded) {
      const vendor = await app.vendors.add({ name: `Vendor ${Date.now()}`, categories: 'identifier' });
      incidentId = (await app.incidents.open({ vendor: vendor.name, title: 'bench', exposed: 'identifier' }))
        .id;
      await app.directory.import(files);
      await app.datasets.import({ incidentId, path: files.dataset, format: 'auto' });
      save({ files, incidentId, loaded: true });
    }
    const counted = await app.impact.summary(incidentId);
    const impact = counted.people.total > 0 ? counted : await app.impact.analyze(incidentId);
    const secret =
      saved.secret ??
      (await app.access.addUser({ email: 'bench@example.com', role: 'responder', password: PASSWORD })).totp!
        .secret;
    const state = {
      files,
      incidentId,
      loaded: true,
      records: impact.records.valid,
      people: impact.people.total,
      secret,
    };
    save(state);
    return state;
  } finally {
    await app.close();
  }
}

interface Req {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

interface Stats {
  count: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
}

function call(
  agent: Agent,
  base: string,
  req: Req,
): Promise<{ status: number; body: string; cookie?: string }> {
  const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
  return new Promise((resolve, reject) => {
    const r = request(
      `${base}${req.path}`,
      {
        agent,
        method: req.method,
        headers: { ...req.headers, ...(payload ? { 'content-type': 'application/json' } : {}) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            cookie: response.headers['set-cookie']?.[0]?.split(';')[0],
          }),
        );
      },
    );
    r.on('error', reject);
    r.end(payload);
  });
}

/** `clients` loops, each one request at a time, until the time is up; every latency kept. */
async function runLoad(
  agent: Agent,
  base: string,
  make: (i: number) => Req,
  clients: number,
  seconds: number,
): Promise<Stats> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const req = make(next++);
        const t0 = performance.now();
        const { status } = await call(agent, base, req);
        latencies.push(performance.now() - t0);
        if (status !== 200) errors += 1;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    count: latencies.length,
    rps: latencies.length / elapsed,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: latencies[latencies.length - 1] ?? 0,
    errors,
  };
}

/** Every k-th account of the directory export, up to `limit`: ids and addresses to search for. */
async function sampleAccounts(path: string, limit: number) {
  const rows: { id: string; email: string }[] = [];
  let index = 0;
  for await (const text of createInterface({ input: createReadStream(path) })) {
    if (index++ === 0) continue;
    const [id, email] = text.split(',');
    if (id && email && index % 7 === 0) rows.push({ id, email });
    if (rows.length >= limit) break;
  }
  return rows;
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

/** User + system CPU seconds a process has used (Linux /proc; 0 elsewhere): server cost apart from load. */
function cpuSeconds(pid: number): number {
  const path = `/proc/${pid}/stat`;
  if (!existsSync(path)) return 0;
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: stream });
    lines.once('line', (text) => resolve(text.trim()));
  });
}
