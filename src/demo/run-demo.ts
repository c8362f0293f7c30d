import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeDemoCase } from '../adapters/demo-case.js';
import { startMailSink } from '../adapters/mail-sink.js';
import { createSmtpSender } from '../adapters/smtp-sender.js';
import { createApp } from '../app.js';
import { DEFAULT_COMPANY, type Config } from '../config.js';
import { renderReportMarkdown } from '../services/report-markdown.js';
import type { ImpactSummary } from '../services/impact.service.js';
import type { SendResult } from '../services/delivery.service.js';
import { operator } from '../services/caller.js';

export interface DemoResult {
  dir: string;
  database: string;
  mailDir: string;
  reportPath: string;
  incidentId: string;
  impact: ImpactSummary;
  delivery: SendResult;
  received: number;
  seconds: number;
}

export interface DemoOptions {
  dir: string;
  profiles?: number;
  accounts?: number;
  organizations?: number;
  log?: (line: string) => void;
}

/** The whole flow on a generated case: files → SQLite → match → notices → local SMTP → report. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const dir = resolve(options.dir);
  const dataDir = join(dir, 'input');
  const mailDir = join(dir, 'mail');
  await mkdir(dataDir, { recursive: true });
  const files = await writeDemoCase(dataDir, {
    profiles: options.profiles,
    accounts: options.accounts,
    organizations: options.organizations,
  });
  log(`generated the demo case in ${dataDir}`);
  const config: Config = {
    db: join(dir, 'breachdesk.db'),
    actor: 'demo',
    key: { keyFile: join(dir, 'breachdesk.key') },
    company: {
      ...DEFAULT_COMPANY,
      name: 'Example API Platform',
      fromName: 'Example API Platform Security',
      fromAddress: 'security@notices.example.com',
      contactEmail: 'privacy@example.com',
      sendingDomains: ['notices.example.com', 'example.com'],
    },
  };
  const app = await createApp({ config });
  const sink = await startMailSink({ dir: mailDir });
  const sender = createSmtpSender({ url: sink.url, maxConnections: 4 });
  try {
    await app.vendors.add({
      name: 'Mixpanel',
      categories: 'identifier,name,email,location,device,referrer,usage',
      purpose: 'web analytics for the developer dashboard',
    });
    const incident = await app.incidents.open({
      vendor: 'Mixpanel',
      title: 'Analytics vendor breach: dashboard user profiles exported',
      exposed: 'identifier,name,email,location,device,referrer,usage',
      notExposed: 'credentials,api_key,payment,government_id,content',
      awareAt: '2025-11-25T00:00:00Z',
    });
    const directory = await app.directory.import(files);
    log(
      `directory: ${directory.accounts} accounts, ${directory.organizations} organizations, ${directory.memberships} memberships`,
    );
    const imported = await app.datasets.import({
      incidentId: incident.id,
      path: files.dataset,
      format: 'auto',
    });
    log(`dataset: read ${imported.read} / valid ${imported.valid} / quarantined ${imported.quarantined}`);
    const impact = await app.impact.analyze(incident.id);
    const plan = await app.notices.plan(incident.id);
    await app.notices.approve(incident.id, 'demo');
    log(`planned and approved ${plan.added} notices`);
    const delivery = await app.delivery.send(incident.id, { sender, concurrency: 4 });
    log(`delivered ${delivery.sent} notices to ${sink.url}`);
    const reportPath = join(dir, 'report.md');
    await writeFile(
      reportPath,
      renderReportMarkdown(await app.reports.build(incident.id, operator(app.config.actor))),
    );
    return {
      dir,
      database: config.db,
      mailDir,
      reportPath,
      incidentId: incident.id,
      impact,
      delivery,
      received: sink.received(),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    sender.close();
    await sink.close();
    await app.close();
  }
}
