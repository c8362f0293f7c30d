// Notices rendered, sealed, DKIM-signed (RSA-2048) and delivered to a loopback SMTP sink (its own
// process, as a real server would be), next to the same run's baselines: the best bare loop, pooled
// nodemailer (10 connections) sending one fixed pre-rendered message unsigned, signed with the key
// as a PEM string, and signed with it as a KeyObject (the baseline of the target). Prints
// notices/s and the ratio to the KeyObject baseline.
// Usage: npx tsx bench/send.bench.ts [profiles=3000]
import { fork } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { writeDemoCase } from '../src/adapters/demo-case.js';
import { startMailSink } from '../src/adapters/mail-sink.js';
import { createSmtpSender } from '../src/adapters/smtp-sender.js';
import { createApp } from '../src/app.js';
import { DEFAULT_COMPANY } from '../src/config.js';

const CONNECTIONS = 10;

if (process.argv[2] === 'sink') {
  const sink = await startMailSink({ dir: process.argv[3]! });
  process.send?.(sink.url);
} else {
  await main(Number(process.argv[2] ?? 3_000));
}

function report(label: string, count: number, seconds: number) {
  console.log(
    `${label.padEnd(48)} ${seconds.toFixed(2).padStart(7)} s ${Math.round(count / seconds)
      .toString()
      .padStart(7)} notices/s`,
  );
}

/** The bare loop: one fixed message, `count` times, over pooled nodemailer. */
async function bareLoop(
  url: string,
  count: number,
  message: { subject: string; text: string; html: string },
  dkim: { domainName: string; keySelector: string; privateKey: string | KeyObject } | undefined,
): Promise<number> {
  const { port } = new URL(url);
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: Number(port),
    pool: true,
    maxConnections: CONNECTIONS,
    maxMessages: Infinity,
    ...(dkim ? { dkim: { ...dkim, privateKey: dkim.privateKey as string } } : {}),
  });
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS * 2 }, async () => {
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
  );
  transport.close();
  return (performance.now() - start) / 1000;
}

async function main(profiles: number) {
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
      const incident = await app.incidents.open({
        vendor: 'Mixpanel',
        title: 'bench',
        exposed: 'identifier,name,email,location',
      });
      await app.directory.import(files);
      await app.datasets.import({ incidentId: incident.id, path: files.dataset, format: 'auto' });

      let start = performance.now();
      const { added } = await app.notices.plan(incident.id);
      const planSeconds = (performance.now() - start) / 1000;
      report('plan: render + seal + insert', added, planSeconds);
      await app.notices.approve(incident.id, 'bench');

      let address = '';
      for await (const person of app.impact.people(incident.id)) if ((address = person.email ?? '')) break;
      const fixed = await app.notices.preview(incident.id, address);
      const message = { subject: fixed.subject, text: fixed.text, html: fixed.html };
      const unsigned = await bareLoop(sinkUrl, added, message, undefined);
      report('baseline: bare pooled nodemailer, unsigned', added, unsigned);
      const pemSeconds = await bareLoop(sinkUrl, added, message, { ...dkim, privateKey: pem });
      report('baseline: bare pooled nodemailer, DKIM PEM', added, pemSeconds);
      const baseline = await bareLoop(sinkUrl, added, message, dkim);
      report('baseline: bare pooled nodemailer, DKIM KeyObject', added, baseline);

      const sender = createSmtpSender({ url: sinkUrl, maxConnections: CONNECTIONS, dkim });
      start = performance.now();
      const sent = await app.delivery.send(incident.id, { sender, concurrency: CONNECTIONS });
      sender.close();
      const sendSeconds = (performance.now() - start) / 1000;
      report('send: outbox + open + DKIM + SMTP', sent.sent, sendSeconds);
      report('plan + send', sent.sent, planSeconds + sendSeconds);
      console.log(
        `send vs baseline (KeyObject): ${((baseline / sendSeconds) * 100).toFixed(0)}% of the baseline's rate (target ≥ 100%, never < 70%); plan + send: ${((baseline / (planSeconds + sendSeconds)) * 100).toFixed(0)}%`,
      );
    } finally {
      await app.close();
    }
  } finally {
    sinkProcess.kill();
    await rm(dir, { recursive: true, force: true });
  }
}
