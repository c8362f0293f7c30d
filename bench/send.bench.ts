// Notices rendered, sealed, DKIM-signed (RSA-2048) and delivered to a loopback SMTP sink, next to the
// same run's baseline: the best bare loop, pooled nodemailer (10 connections) sending one fixed
// pre-rendered message signed with the same key as a KeyObject. Prints notices/s and the ratio.
// Usage: npx tsx bench/send.bench.ts [profiles=3000]
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoCase } from '../src/adapters/demo-case.js';
import { startMailSink } from '../src/adapters/mail-sink.js';
import { createSmtpSender } from '../src/adapters/smtp-sender.js';
import { createApp } from '../src/app.js';
import { DEFAULT_COMPANY } from '../src/config.js';
import { operator } from '../src/services/caller.js';

const profiles = Number(process.argv[2] ?? 3_000);
const CONNECTIONS = 10;
const dir = await mkdtemp(join(tmpdir(), 'breachdesk-bench-'));
const sink = await startMailSink({ dir: join(dir, 'mail') });
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const dkim = { domainName: 'notices.example.com', keySelector: 'bench', privateKey };

function report(label: string, count: number, seconds: number) {
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    `${label.padEnd(44)} ${seconds.toFixed(2).padStart(7)} s ${Math.round(count / seconds)
      .toString()
      .padStart(7)} notices/s  peak RSS ${rss} MB`,
  );
}

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
    for await (const person of app.impact.people(incident.id, operator('bench')))
      if ((address = person.email ?? '')) break;
    const fixed = await app.notices.preview(incident.id, address);
    const baseline = createSmtpSender({ url: sink.url, maxConnections: CONNECTIONS, dkim });
    start = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONNECTIONS * 2 }, async () => {
        while (next < added) {
          const n = next++;
          await baseline.send({
            from: { name: 'Security', address: 'security@notices.example.com' },
            to: `r${n}@example.com`,
            subject: fixed.subject,
            text: fixed.text,
            html: fixed.html,
            messageId: `<b${n}@notices.example.com>`,
            headers: {},
          });
        }
      }),
    );
    baseline.close();
    const baselineSeconds = (performance.now() - start) / 1000;
    report('baseline: bare pooled nodemailer + DKIM', added, baselineSeconds);

    const sender = createSmtpSender({ url: sink.url, maxConnections: CONNECTIONS, dkim });
    start = performance.now();
    const sent = await app.delivery.send(incident.id, { sender, concurrency: CONNECTIONS });
    sender.close();
    const sendSeconds = (performance.now() - start) / 1000;
    report('send: outbox + open + DKIM + SMTP', sent.sent, sendSeconds);
    report('plan + send', sent.sent, planSeconds + sendSeconds);
    console.log(
      `send vs baseline: ${((baselineSeconds / sendSeconds) * 100).toFixed(0)}% of the baseline's rate (target ≥ 100%, never < 70%); plan + send: ${((baselineSeconds / (planSeconds + sendSeconds)) * 100).toFixed(0)}%`,
    );
  } finally {
    await app.close();
  }
} finally {
  await sink.close();
  await rm(dir, { recursive: true, force: true });
}
