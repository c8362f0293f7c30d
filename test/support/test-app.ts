import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { fixedClock } from '../../src/adapters/clock.js';
import { writeDemoCase } from '../../src/adapters/demo-case.js';
import { offlineResolver } from '../../src/adapters/dns-resolver.js';
import { createApp, type App, type AppOptions } from '../../src/app.js';
import { DEFAULT_COMPANY } from '../../src/config.js';
import type { DialectName } from '../../src/db/database.js';
import { freshDatabase } from './databases.js';

export interface TestApp extends App {
  clock: ReturnType<typeof fixedClock>;
  dir: string;
  write(name: string, content: string | Buffer): string;
}

/** A fixed key for tests; real use reads BREACHDESK_KEY or a 0600 key file. */
export const TEST_KEY = 'a'.repeat(64);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/**
 * A real app on a fresh database of the dialect, with a hand-moved clock and a temp folder. DNS
 * for mail authentication is an in-memory zone or none: no test may reach the network.
 */
export async function createTestApp(
  dialect: DialectName,
  options: Pick<AppOptions, 'judge' | 'mailResolver'> = {},
): Promise<TestApp> {
  const database = await freshDatabase(dialect);
  const clock = fixedClock('2026-11-20T09:00:00Z');
  const app = await createApp({
    config: {
      db: database.location,
      actor: 'tester',
      company: { ...DEFAULT_COMPANY, name: 'Acme API' },
      key: { envKey: TEST_KEY, keyFile: '/nonexistent' },
    },
    clock,
    mailResolver: offlineResolver,
    ...options,
  });
  cleanups.push(async () => {
    await app.close();
    await database.drop();
  });
  const dir = mkdtempSync(join(tmpdir(), 'breachdesk-files-'));
  return Object.assign(app, {
    clock,
    dir,
    write(name: string, content: string | Buffer) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
  });
}

/** NDJSON of Mixpanel Engage profiles. */
export function profiles(...rows: Record<string, unknown>[]): string {
  return rows.map((row) => JSON.stringify(row)).join('\n') + '\n';
}

export async function openTestIncident(app: App): Promise<string> {
  await app.vendors.add({ name: 'Mixpanel', categories: 'identifier,name,email,location,device,referrer' });
  const incident = await app.incidents.open({
    vendor: 'Mixpanel',
    title: 'Analytics export',
    exposed: 'identifier,name,email,location,device,referrer',
    notExposed: 'credentials,api_key,payment',
    awareAt: '2026-11-19T00:00:00Z',
  });
  return incident.id;
}

/** A generated case of `profiles` people, imported, planned and approved: ready to send. */
export async function approvedDemoIncident(
  app: TestApp,
  profiles: number,
): Promise<{ id: string; added: number }> {
  const files = await writeDemoCase(join(app.dir, 'case'), {
    profiles,
    accounts: profiles,
    organizations: Math.max(1, Math.round(profiles / 10)),
  });
  await app.directory.import(files);
  const id = await openTestIncident(app);
  await app.datasets.import({ incidentId: id, path: files.dataset, format: 'auto' });
  const { added } = await app.notices.plan(id);
  await app.notices.approve(id, 'Dana Responder');
  return { id, added };
}
