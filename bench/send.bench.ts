// Notices rendered, sealed, DKIM-signed (RSA-2048) and delivered to a loopback SMTP sink (its own
// process, as a real server would be), next to the same run's baselines: the best bare loop, pooled
// nodemailer (10 connections) sending one fixed pre-rendered message unsigned, signed with the key
// as a PEM string, and signed with it as a KeyObject (the baseline of the target). The KeyObject
// baseline and breachdesk's send (default signing threads, and signing on the sending thread) run
// in turn for several rounds, each send over its own planned and approved incident; prints
// notices/s per round, the medians and the ratio to the baseline, and the load average.
// Usage: npx tsx bench/send.bench.ts [profiles=3000] [rounds=3]
import { fork } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { writeDemoCase } from '../src/adapters/demo-case.js';
import { startMailSink } from '../src/adapters/mail-sink.js';
import { createSmtpSender, defaultSigningThreads } from '../src/adapters/smtp-sender.js';
import { createApp } from '../src/app.js';
import { DEFAULT_COMPANY } from '../src/config.js';
import { operator } from '../src/services/caller.js';

const CONNECTIONS = 10;
// Messages under way at once, as many as the baseline's loop keeps: connections never wait for one.
const LANES = CONNECTIONS * 2;

if (process.argv[2] === 'sink') {
  const sink = await startMailSink({ dir: process.argv[3]! });
  process.send?.(sink.url);
} else {
  await main(Number(process.argv[2] ?? 3_000), Number(process.argv[3] ?? 3));
}

/** Wall time and CPU time of this process (every thread; the sink is another process). */
interface Run {
  seconds: number;
  cpuMs: number;
}

async function measure(work: () => Promise<unknown>): Promise<Run> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - start) / 1000, cpuMs: (used.user + used.system) / 1000 };
}

function report(label: string, count: number, run: Run) {
  console.log(
    `${label.padEnd(56)} ${run.seconds.toFixed(2).padStart(7)} s ${Math.round(count / run.seconds)
      .toString()
      .padStart(7)} notices/s ${((run.cpuMs / count) * 1000).toFixed(0).padStart(6)} µs CPU/notice`,
  );
}

/** The bare loop: one fixed message, `count` times, over pooled nodemailer. */
async function bareLoop(
  url: string,
  count: number,
  message: { subject: string; text: string; html: string },
  dkim: { domainName: string; keySelector: string; privateKey: string | KeyObject } | undefined,
): Promise<Run> {
  const { port } = new URL(url);
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: Number(port),
    pool: true,
    maxConnections: CONNECTIONS,
    maxMessages: Infinity,
    ...(dkim ? { dkim: { ...dkim, privateKey: dkim.privateKey as string } } : {}),
  });
  let next = 0;
  const run = await measure(() =>
    Promise.all(
      Array.from({ length: LANES }, async () => {
        while (next < count) {
          const n = next++;
          await transport.sendMail({
            from: { name: 'Security', address: 'security@notices.example.com' },
            to: `r${n}@example.com`,
            ...message,
            messageId: `<b${n}@notices.example.com>`,
          });
        }
      }),
    ),
  );
  transport.close();
  return run;
}

async function main(profiles: number, rounds: number) {
  const dir = await mkdtemp(join(tmpdir(), 'breachdesk-bench-'));
  const sinkProcess = fork(new URL(import.meta.url).pathname, ['sink', join(dir, 'mail')], {
    execArgv: ['--import', 'tsx'],
  });
  const sinkUrl = await new Promise<string>((resolve) =>
    sinkProcess.once('message', (url) => resolve(url as string)),
  );
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dkim = { domainName: 'notices.example.com', keySelector: 'bench', privateKey };
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const threads = defaultSigningThreads();
  const ways = [
    { label: `send: outbox + ${threads} signing thread(s) (default) + SMTP`, signingThreads: threads },
    { label: 'send: outbox + signing on the sending thread + SMTP', signingThreads: 0 },
  ];
  const load = () =>
    loadavg()
      .map((n) => n.toFixed(2))
      .join(' ');
  console.log(`${availableParallelism()} cores, load average at start ${load()}`);
  try {
    const files = await writeDemoCase(join(dir, 'input'), {
      profiles,
      accounts: profiles,
      organizations: Math.round(profiles / 10),
    });
    const app = await createApp({
      config: {
        db: join(dir, 'bench.db'),
        actor: 'bench',
        company: DEFAULT_COMPANY,
        key: { envKey: 'd'.repeat(64), keyFile: join(dir, 'k') },
      },
    });
    try {
      await app.vendors.add({ name: 'Mixpanel', categories: 'identifier' });
      await app.directory.import(files);
      // One incident per send of every round, each with the same plan.
      const incidents: string[] = [];
      for (let i = 0; i < rounds * ways.length; i += 1) {
        const incident = await app.incidents.open({
          vendor: 'Mixpanel',
          title: `bench ${i}`,
          exposed: 'identifier,name,email,location',
        });
        await app.datasets.import({ incidentId: incident.id, path: files.dataset, format: 'auto' });
        incidents.push(incident.id);
      }
      let added = 0;
      const plan = await measure(async () => ({ added } = await app.notices.plan(incidents[0]!)));
      report('plan: render + seal + insert', added, plan);
      for (const [i, id] of incidents.entries()) {
        if (i > 0) await app.notices.plan(id);
        await app.notices.approve(id, 'bench');
      }

      let address = '';
      for await (const person of app.impact.people(incidents[0]!, operator('bench')))
        if ((address = person.email ?? '')) break;
      const fixed = await app.notices.preview(incidents[0]!, address);
      const message = { subject: fixed.subject, text: fixed.text, html: fixed.html };
      report(
        'baseline: bare pooled nodemailer, unsigned',
        added,
        await bareLoop(sinkUrl, added, message, undefined),
      );
      report(
        'baseline: bare pooled nodemailer, DKIM PEM',
        added,
        await bareLoop(sinkUrl, added, message, { ...dkim, privateKey: pem }),
      );

      const rates: { baseline: number[]; ways: number[][] } = { baseline: [], ways: ways.map(() => []) };
      for (let round = 0; round < rounds; round += 1) {
        console.log(`round ${round + 1} (load average ${load()})`);
        const baseline = await bareLoop(sinkUrl, added, message, dkim);
        report('baseline: bare pooled nodemailer, DKIM KeyObject', added, baseline);
        rates.baseline.push(added / baseline.seconds);
        for (const [w, way] of ways.entries()) {
          const sender = createSmtpSender({
            url: sinkUrl,
            maxConnections: CONNECTIONS,
            dkim,
            signingThreads: way.signingThreads,
          });
          let sent = 0;
          const send = await measure(async () => {
            sent = (
              await app.delivery.send(incidents[round * ways.length + w]!, { sender, concurrency: LANES })
            ).sent;
          });
          sender.close();
          report(way.label, sent, send);
          rates.ways[w]!.push(sent / send.seconds);
        }
      }
      const base = median(rates.baseline);
      console.log(`median of ${rounds} rounds (load average at end ${load()})`);
      console.log(
        `${'baseline: bare pooled nodemailer, DKIM KeyObject'.padEnd(56)} ${Math.round(base)} notices/s`,
      );
      for (const [w, way] of ways.entries()) {
        const rate = median(rates.ways[w]!);
        const perRound = rates.ways[w]!.map((r, i) => `${((r / rates.baseline[i]!) * 100).toFixed(0)}%`);
        console.log(
          `${way.label.padEnd(56)} ${Math.round(rate)} notices/s, ${((rate / base) * 100).toFixed(0)}% of the baseline (target ≥ 100%, never < 70%; by round ${perRound.join(' ')})`,
        );
      }
    } finally {
      await app.close();
    }
  } finally {
    sinkProcess.kill();
    await rm(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
