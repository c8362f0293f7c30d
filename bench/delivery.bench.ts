// Planning and delivery throughput to a local SMTP sink, against a baseline that sends the same
// number of messages with nodemailer alone (no database, no outbox). Prints messages/s.
// Usage: npx tsx bench/delivery.bench.ts [profiles=5000]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoCase } from '../src/adapters/demo-case.js';
import { startMailSink } from '../src/adapters/mail-sink.js';
import { createSmtpSender } from '../src/adapters/smtp-sender.js';
import { createApp } from '../src/app.js';
import { DEFAULT_COMPANY } from '../src/config.js';

const profiles = Number(process.argv[2] ?? 5_000);
const dir = await mkdtemp(join(tmpdir(), 'breachdesk-bench-'));
const sink = await startMailSink({ dir: join(dir, 'mail') });

function report(label: string, count: number, seconds: number) {
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    `${label.padEnd(30)} ${seconds.toFixed(2).padStart(7)} s  ${Math.round(count / seconds)
      .toString()
      .padStart(7)} msg/s  peak RSS ${rss} MB`,
  );
}

try {
  const files = await writeDemoCase(join(dir, 'input'), {
    profiles,
    accounts: Math.round(profiles * 1.2),
    organizations: Math.max(1, Math.round(profiles / 5)),
  });
  const app = await createApp({
    config: {
      db: join(dir, 'bench.db'),
      actor: 'bench',
      company: DEFAULT_COMPANY,
      key: { keyFile: join(dir, 'bench.key') },
    },
  });
  try {
    await app.vendors.add({ name: 'Mixpanel', categories: 'identifier' });
    const incident = await app.incidents.open({
      vendor: 'Mixpanel',
      title: 'bench',
      exposed: 'identifier,name,email',
    });
    await app.directory.import(files);
    await app.datasets.import({ incidentId: incident.id, path: files.dataset, format: 'auto' });

    let start = performance.now();
    const plan = await app.notices.plan(incident.id);
    report('notices plan (render + insert)', plan.added, (performance.now() - start) / 1000);

    let firstAddress = '';
    for await (const person of app.impact.people(incident.id)) {
      if (person.email) {
        firstAddress = person.email;
        break;
      }
    }
    const preview = await app.notices.preview(incident.id, firstAddress);
    const baselineSender = createSmtpSender({ url: sink.url, maxConnections: 4 });
    start = performance.now();
    let i = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (i < plan.added) {
          const n = i++;
          await baselineSender.send({
            from: { name: 'bench', address: 'bench@example.com' },
            to: `r${n}@example.com`,
            subject: preview.subject,
            text: preview.text,
            html: preview.html,
            messageId: `<b${n}@example.com>`,
            headers: {},
          });
        }
      }),
    );
    baselineSender.close();
    const baseline = (performance.now() - start) / 1000;
    report('baseline nodemailer only', plan.added, baseline);

    const sender = createSmtpSender({ url: sink.url, maxConnections: 4 });
    start = performance.now();
    const sent = await app.delivery.send(incident.id, { sender, concurrency: 4 });
    sender.close();
    const outbox = (performance.now() - start) / 1000;
    report('notices send (outbox + SMTP)', sent.sent, outbox);
    console.log(`ratio outbox / baseline: ${(outbox / baseline).toFixed(2)}x`);
  } finally {
    await app.close();
  }
} finally {
  await sink.close();
  await rm(dir, { recursive: true, force: true });
}
