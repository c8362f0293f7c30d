import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach } from 'vitest';
import { fixedClock } from '../../src/adapters/clock.js';
import { startMailSink, type MailSink } from '../../src/adapters/mail-sink.js';
import { scryptHasher } from '../../src/adapters/password-hasher.js';
import { createSmtpSender } from '../../src/adapters/smtp-sender.js';
import { createApp } from '../../src/app.js';
import { DEFAULT_COMPANY } from '../../src/config.js';
import { base32Decode, hotp, totpStep } from '../../src/core/totp.js';
import type { DialectName } from '../../src/db/database.js';
import { buildServer } from '../../src/http/server.js';
import type { Role } from '../../src/services/caller.js';
import { freshDatabase } from '../support/databases.js';
import { openTestIncident, profiles, TEST_KEY, type TestApp } from '../support/test-app.js';

export const PASSWORD = 'correct horse battery staple';

/** Addresses in the fixture: none may ever reach a viewer. */
export const FIXTURE_ADDRESSES = [
  'owner@acme.test',
  'member@acme.test',
  'outsider@else.test',
  '=cmd@evil.test',
];

export interface SignedIn {
  cookie: string;
  csrf: string;
}

export interface HttpTestApp {
  app: TestApp;
  server: FastifyInstance;
  sink: MailSink;
  incidentId: string;
  /** Signs in with password and a fresh TOTP code (the clock moves one step, codes work once). */
  login(role: Role): Promise<SignedIn>;
  /** A request as a signed-in user (cookie and CSRF token) or anonymous. */
  call(
    who: SignedIn | null,
    request: { method: string; url: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  secrets: Record<Role, Buffer>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

export const ACCOUNTS = `id,email,name,status
u1,owner@acme.test,Olivia,active
u2,member@acme.test,Mallory,active
=HYPERLINK("http://evil.test"),=cmd@evil.test,"@SUM(1+1)",active
`;

/**
 * A real app on a fresh database with a served API (fastify.inject), a loopback SMTP sink for send
 * passes, one user per role, and an incident with planned, unapproved notices.
 */
export async function createHttpTestApp(
  dialect: DialectName,
  options: { webDist?: string } = {},
): Promise<HttpTestApp> {
  const database = await freshDatabase(dialect);
  const clock = fixedClock('2026-11-20T09:00:00Z');
  const base = await createApp({
    config: {
      db: database.location,
      actor: 'tester',
      company: { ...DEFAULT_COMPANY, name: 'Acme API', sendingDomains: ['notices.acme.test'] },
      key: { envKey: TEST_KEY, keyFile: '/nonexistent' },
    },
    clock,
    // Cheap scrypt in tests; the format and the code path are the real ones.
    hasher: scryptHasher({ N: 2 ** 10, r: 8, p: 1 }),
  });
  const dir = mkdtempSync(join(tmpdir(), 'breachdesk-http-'));
  const app: TestApp = Object.assign(base, {
    clock,
    dir,
    write(name: string, content: string | Buffer) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
  });
  const sink = await startMailSink({ dir: join(dir, 'mail') });
  const server = await buildServer({
    app,
    sending: { connect: () => createSmtpSender({ url: sink.url }) },
    webDist: options.webDist ?? join(dir, 'no-dashboard'),
  });
  cleanups.push(async () => {
    await server.close();
    await sink.close();
    await app.close();
    await database.drop();
  });
  const secrets = {} as Record<Role, Buffer>;
  for (const role of ['admin', 'responder', 'viewer'] as const) {
    const added = await app.access.addUser({ email: `${role}@breachdesk.test`, role, password: PASSWORD });
    secrets[role] = base32Decode(added.totp!.secret);
  }
  const incidentId = await fixtureIncident(app);
  const call: HttpTestApp['call'] = (who, request) =>
    server.inject({
      method: request.method as 'GET',
      url: request.url,
      ...(request.body === undefined ? {} : { payload: request.body as object }),
      headers: {
        ...(who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {}),
        ...request.headers,
      },
    });
  return {
    app,
    server,
    sink,
    incidentId,
    secrets,
    call,
    async login(role) {
      clock.advance(30_000);
      const response = await call(null, {
        method: 'POST',
        url: '/api/session',
        body: {
          email: `${role}@breachdesk.test`,
          password: PASSWORD,
          code: totpCode(secrets[role], clock.now()),
        },
      });
      if (response.statusCode !== 200)
        throw new Error(`login as ${role}: ${response.statusCode} ${response.body}`);
      return { cookie: sessionCookie(response), csrf: response.json<{ csrfToken: string }>().csrfToken };
    },
  };
}

export function totpCode(secret: Buffer, at: Date): string {
  return hotp(secret, totpStep(at));
}

export function sessionCookie(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === 'breachdesk_session');
  if (!cookie) throw new Error('no session cookie set');
  return `breachdesk_session=${cookie.value}`;
}

/** Three people (one with formula-looking id and address), an organization, planned notices. */
async function fixtureIncident(app: TestApp): Promise<string> {
  await app.directory.import({
    accounts: app.write('accounts.csv', ACCOUNTS),
    organizations: app.write('orgs.csv', 'id,name\norg-1,"+Acme"\n'),
    memberships: app.write('m.csv', 'org_id,account_id,role\norg-1,u1,owner\norg-1,u2,member\n'),
  });
  const id = await openTestIncident(app);
  await app.datasets.import({
    incidentId: id,
    path: app.write(
      'people.ndjson',
      profiles(
        { $distinct_id: 'u2', $properties: { $name: 'Mallory', $city: 'Lyon', org_id: 'org-1' } },
        { $distinct_id: 'anon', $properties: { $email: 'outsider@else.test', $browser: 'Chrome' } },
        { $distinct_id: '=HYPERLINK("http://evil.test")', $properties: { $browser: '-2+3' } },
      ),
    ),
    format: 'auto',
  });
  await app.notices.plan(id);
  return id;
}
