// Inbound reports over SMTP into the listener (hash, parse, judge, seal, store), next to the same
// run's baseline: the same messages over the same pooled client into the mail sink, which only writes
// .eml files. Then `monitor misuse` on the demo case against its own baseline, the re-match it starts
// with. Prints messages/s, seconds and ratios.
// Usage: npx tsx bench/inbound.bench.ts [profiles=20000] [messages=3000] [--db postgres://…]
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { writeDemoCase } from '../src/adapters/demo-case.js';
import { startMailSink } from '../src/adapters/mail-sink.js';
import { startSmtpListener } from '../src/adapters/smtp-listener.js';
import { createApp } from '../src/app.js';
import { DEFAULT_COMPANY } from '../src/config.js';
import { formatP } from '../src/core/misuse-statistics.js';
import type { Verdict } from '../src/core/verdict.js';
import { operator } from '../src/services/caller.js';

const positional = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const profiles = Number(positional[0] ?? 20_000);
const messageCount = Number(positional[1] ?? 3_000);
const dbFlag = process.argv.indexOf('--db');
const CONNECTIONS = 4;
const dir = await mkdtemp(join(tmpdir(), 'breachdesk-bench-'));

function report(label: string, count: number, seconds: number, unit = 'messages/s') {
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    `${label.padEnd(48)} ${seconds.toFixed(2).padStart(7)} s ${Math.round(count / seconds)
      .toString()
      .padStart(7)} ${unit}  peak RSS ${rss} MB`,
  );
}

/** A fixed-cost stand-in for the scanner, so the figures measure breachdesk, not the heuristics. */
const judge = (raw: Buffer): Promise<Verdict> =>
  Promise.resolve({
    verdict: raw.includes('X-Bench: phishing') ? 'phishing' : 'clean',
    score: 1,
    reasons: [],
  });

/** A forward with the phish attached, as a mail client writes one. */
function forward(n: number, to: string): string {
  return [
    `From: <${to}>`,
    'To: phishing@acme.example',
    `Subject: Fwd: Your account ${n}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="fwd"',
    '',
    '--fwd',
    'Content-Type: text/plain',
    '',
    'Is this real?',
    '--fwd',
    'Content-Type: message/rfc822',
    '',
    `From: "Support" <support@acme-login${n % 7}.example>`,
    `To: ${to}`,
    `Subject: Verify your account ${n}`,
    `Message-ID: <p${n}@acme-login.example>`,
    n % 5 === 0 ? 'X-Bench: clean' : 'X-Bench: phishing',
    'Content-Type: text/html',
    '',
    `<p>Dear customer, verify at <a href="https://acme-login${n % 7}.example/v?id=${n}">this link</a>.</p>`.repeat(
      8,
    ),
    '--fwd--',
    '',
  ].join('\r\n');
}

async function sendAll(port: number, messages: readonly string[]): Promise<number> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    ignoreTLS: true,
    pool: true,
    maxConnections: CONNECTIONS,
    maxMessages: Infinity,
  });
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS * 2 }, async () => {
      while (next < messages.length) {
        const raw = messages[next++]!;
        await transport.sendMail({
          envelope: { from: 'r@acme.example', to: ['phishing@acme.example'] },
          raw,
        });
      }
    }),
  );
  transport.close();
  return (performance.now() - start) / 1000;
}

try {
  const files = await writeDemoCase(join(dir, 'input'), {
    profiles,
    accounts: profiles * 4,
    organizations: Math.round(profiles / 10),
  });
  const app = await createApp({
    config: {
      db: dbFlag > 0 ? process.argv[dbFlag + 1]! : join(dir, 'bench.db'),
      actor: 'bench',
      company: DEFAULT_COMPANY,
      key: { envKey: 'd'.repeat(64), keyFile: join(dir, 'k') },
    },
    judge,
  });
  try {
    await app.vendors.add({ name: 'Mixpanel', categories: 'identifier' });
    const incident = await app.incidents.open({ vendor: 'Mixpanel', title: 'bench', exposed: 'email' });
    await app.directory.import(files);
    await app.datasets.import({ incidentId: incident.id, path: files.dataset, format: 'auto' });
    await app.impact.rematch(incident.id);

    const leaked: string[] = [];
    for await (const person of app.impact.people(incident.id, operator('bench')))
      if (person.email) leaked.push(person.email);
    const leakedSet = new Set(leaked);
    const others = readFileSync(files.accounts, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[1]?.trim().toLowerCase() ?? '')
      .filter((email) => email.includes('@') && !leakedSet.has(email));
    // Two of three phish go to the leaked set: the pattern misuse must find.
    const messages = Array.from({ length: messageCount }, (_, n) => {
      const pool = n % 3 === 2 ? others : leaked;
      return forward(n, pool[(n * 7919) % pool.length]!);
    });

    const sink = await startMailSink({ dir: join(dir, 'sink') });
    const baselineSeconds = await sendAll(Number(new URL(sink.url).port), messages);
    await sink.close();
    report('baseline: pooled nodemailer → .eml files', messages.length, baselineSeconds);

    const listener = await startSmtpListener({
      port: 0,
      onMessage: async (raw, envelope) => (await app.inbound.receive(raw, envelope)).id,
    });
    const listenSeconds = await sendAll(listener.port, messages);
    await listener.close();
    report('listener: hash + parse + judge + seal + store', messages.length, listenSeconds);
    console.log(
      `listener vs baseline: ${((baselineSeconds / listenSeconds) * 100).toFixed(0)}% of the baseline's rate`,
    );

    let start = performance.now();
    await app.impact.rematch(incident.id);
    const rematchSeconds = (performance.now() - start) / 1000;
    report(`baseline: re-match ${leaked.length} people`, leaked.length, rematchSeconds, 'people/s');
    start = performance.now();
    const misuse = await app.misuse.correlate(incident.id, { by: 'week' });
    const misuseSeconds = (performance.now() - start) / 1000;
    report('misuse: re-match + correlation + Fisher', leaked.length, misuseSeconds, 'people/s');
    console.log(
      `misuse adds ${(misuseSeconds - rematchSeconds).toFixed(2)} s to the re-match (${(misuseSeconds / rematchSeconds).toFixed(2)}×); ` +
        `leaked ${misuse.groups.leaked.targeted}/${misuse.groups.leaked.addresses}, rest ${misuse.groups.rest.targeted}/${misuse.groups.rest.addresses}, ` +
        `risk ratio ${misuse.statistics.riskRatio?.toFixed(2)}, ${formatP(misuse.statistics.fisher.pTwoSided)}`,
    );
  } finally {
    await app.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
