import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { testDialects } from '../support/databases.js';
import { profiles } from '../support/test-app.js';
import { createHttpTestApp, totpCode, PASSWORD, type HttpTestApp } from './http-test-app.js';

async function untilSent(t: HttpTestApp, viewer: Awaited<ReturnType<HttpTestApp['login']>>, total: number) {
  for (let i = 0; i < 200; i++) {
    const status = (
      await t.call(viewer, { method: 'GET', url: `/api/incidents/${t.incidentId}/notices` })
    ).json<{ sent: number }>();
    if (status.sent === total) return status;
    await sleep(25);
  }
  throw new Error('the send pass did not finish');
}

function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ response: IncomingMessage; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ response, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe.each(testDialects())('breachdesk serve on %s', (dialect) => {
  it('approves, sends in the background, and reports progress through status polling', async () => {
    const t = await createHttpTestApp(dialect);
    const [admin, responder, viewer] = [
      await t.login('admin'),
      await t.login('responder'),
      await t.login('viewer'),
    ];
    const base = `/api/incidents/${t.incidentId}`;
    expect((await t.call(admin, { method: 'POST', url: `${base}/notices/approve` })).json()).toMatchObject({
      approved: 4,
    });
    const started = await t.call(responder, { method: 'POST', url: `${base}/notices/send` });
    expect([started.statusCode, started.json()]).toEqual([200, { started: true }]);
    const status = await untilSent(t, viewer, 4);
    expect(status).toMatchObject({ total: 4, sent: 4, queued: 0 });
    expect(t.sink.received()).toBe(4);
    // The pass records its audit entry after the last result is written: wait for it, bounded.
    let sendEntry: { action: string; actor: string } | undefined;
    for (let i = 0; i < 200 && !sendEntry; i++) {
      const audit = (await t.call(viewer, { method: 'GET', url: `${base}/audit` })).json<
        { action: string; actor: string }[]
      >();
      sendEntry = audit.find((entry) => entry.action === 'notices.send');
      if (!sendEntry) await sleep(25);
    }
    expect(sendEntry).toMatchObject({ actor: 'responder@breachdesk.test' });
  });

  it('serves the public verify page: genuine with its date, or not ours, escaped and rate-limited', async () => {
    const t = await createHttpTestApp(dialect);
    await t.app.notices.approve(t.incidentId, 'tester');
    const responder = await t.login('responder');
    await t.call(responder, { method: 'POST', url: `/api/incidents/${t.incidentId}/notices/send` });
    await untilSent(t, responder, 4);
    const notices = (
      await t.call(responder, {
        method: 'GET',
        url: `/api/incidents/${t.incidentId}/exports/notices?format=json`,
      })
    ).json<{ referenceCode: string; recipient: string }[]>();
    const notice = notices.find((n) => n.recipient === 'outsider@else.test')!;
    const form = (fields: Record<string, string>) =>
      t.server.inject({
        method: 'POST',
        url: '/verify',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(fields).toString(),
      });
    const genuine = await form({
      referenceCode: notice.referenceCode.toLowerCase(),
      address: 'Outsider@else.test',
    });
    expect(genuine.statusCode).toBe(200);
    expect(genuine.body).toContain('Genuine: sent on 20 November 2026');
    expect(genuine.body).toContain('<code>notices.acme.test</code>');
    const elsewhere = await form({ referenceCode: notice.referenceCode, address: 'someone@else.test' });
    expect(elsewhere.body).toContain('We did not send this.');
    const hostile = await form({ referenceCode: '"><script>alert(1)</script>', address: 'a@b.test' });
    expect(hostile.body).not.toContain('<script>');
    expect(hostile.body).toContain('&quot;&gt;&lt;script&gt;');
    expect(hostile.body).not.toMatch(/<script|onerror|javascript:/i);
    const api = await t.server.inject({
      method: 'POST',
      url: '/api/verify',
      payload: { referenceCode: notice.referenceCode, address: 'outsider@else.test' },
    });
    expect(api.json()).toMatchObject({
      genuine: true,
      officialDomains: ['notices.acme.test'],
      company: 'Acme API',
    });
    const answers: number[] = [];
    for (let i = 0; i < 20; i++)
      answers.push((await form({ referenceCode: 'X', address: 'a@b.test' })).statusCode);
    expect(answers.slice(-3)).toEqual([429, 429, 429]);
    const limited = await t.server.inject({
      method: 'POST',
      url: '/api/verify',
      payload: { referenceCode: 'X', address: 'a@b.test' },
    });
    expect(limited.statusCode).toBe(429);
    t.app.clock.advance(61_000);
    expect((await form({ referenceCode: 'X', address: 'a@b.test' })).statusCode).toBe(200);
  });

  it('lets an API token act with its user’s role, without CSRF, and audits it by name', async () => {
    const t = await createHttpTestApp(dialect);
    const { id, token } = await t.app.access.createToken('responder@breachdesk.test', 'ci export');
    const bearer = { authorization: `Bearer ${token}` };
    const analyze = await t.server.inject({
      method: 'POST',
      url: `/api/incidents/${t.incidentId}/analyze`,
      headers: bearer,
    });
    expect(analyze.statusCode).toBe(200);
    const users = await t.server.inject({ method: 'GET', url: '/api/users', headers: bearer });
    expect(users.statusCode).toBe(403);
    const exported = await t.server.inject({
      method: 'GET',
      url: `/api/incidents/${t.incidentId}/exports/people?format=csv`,
      headers: bearer,
    });
    expect(exported.body).toContain('outsider@else.test');
    const audit = await t.app.audit.recent({ incidentId: t.incidentId });
    expect(audit[0]).toMatchObject({
      action: 'people.export',
      actor: 'responder@breachdesk.test (token ci export)',
    });
    expect((await t.app.access.listTokens())[0]).toMatchObject({
      id,
      lastUsedAt: expect.any(String) as string,
    });
    await t.app.access.revokeToken(id);
    expect((await t.server.inject({ method: 'GET', url: '/api/session', headers: bearer })).statusCode).toBe(
      401,
    );
    const stored = JSON.stringify(await t.app.store.db.selectFrom('api_token').selectAll().execute());
    expect(stored).not.toContain(token);
  });

  it('ends a disabled user’s sessions at once', async () => {
    const t = await createHttpTestApp(dialect);
    const viewer = await t.login('viewer');
    const admin = await t.login('admin');
    const disabled = await t.call(admin, {
      method: 'POST',
      url: '/api/users/disable',
      body: { email: 'viewer@breachdesk.test' },
    });
    expect(disabled.statusCode).toBe(200);
    expect((await t.call(viewer, { method: 'GET', url: '/api/incidents' })).statusCode).toBe(401);
    t.app.clock.advance(30_000);
    const again = await t.server.inject({
      method: 'POST',
      url: '/api/session',
      payload: {
        email: 'viewer@breachdesk.test',
        password: PASSWORD,
        code: totpCode(t.secrets.viewer, t.app.clock.now()),
      },
    });
    expect(again.statusCode).toBe(401);
  });

  it('keeps the summary until a rematch, then counts the new people', async () => {
    const t = await createHttpTestApp(dialect);
    const responder = await t.login('responder');
    const summary = () =>
      t
        .call(responder, { method: 'GET', url: `/api/incidents/${t.incidentId}/summary` })
        .then((r) => r.json<{ people: { total: number }; computedAt: string }>());
    const first = await summary();
    expect(first.people.total).toBe(3);
    await t.app.datasets.import({
      incidentId: t.incidentId,
      path: t.app.write(
        'more.ndjson',
        profiles({ $distinct_id: 'late', $properties: { $email: 'late@else.test' } }),
      ),
      format: 'auto',
    });
    t.app.clock.advance(1000);
    expect(await summary()).toEqual(first);
    const analyzed = await t.call(responder, {
      method: 'POST',
      url: `/api/incidents/${t.incidentId}/analyze`,
    });
    expect(analyzed.json()).toMatchObject({ people: { total: 4 } });
    expect(await summary()).toMatchObject({
      people: { total: 4 },
      computedAt: t.app.clock.now().toISOString(),
    });
  });

  it('describes every route of the table in its OpenAPI document', async () => {
    const t = await createHttpTestApp(dialect);
    const doc = (await t.server.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      openapi: string;
      paths: Record<string, Record<string, { 'x-minimum-role': string; requestBody?: unknown }>>;
    }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/incidents/{id}/notices/approve']?.post?.['x-minimum-role']).toBe('admin');
    expect(doc.paths['/api/incidents/{id}/people/search']?.post?.requestBody).toBeDefined();
    expect(JSON.stringify(doc)).not.toContain('Symbol');
  });

  it('serves the built dashboard when there is one, and says so when there is none', async () => {
    const missing = await createHttpTestApp(dialect);
    const page = await missing.server.inject({ method: 'GET', url: '/' });
    expect(page.body).toContain('The dashboard is not built');
    const dist = join(missing.app.dir, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(
      join(dist, 'index.html'),
      '<!doctype html><div id="root"></div><script src="/assets/app.js"></script>',
    );
    writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
    const t = await createHttpTestApp(dialect, { webDist: dist });
    expect((await t.server.inject({ method: 'GET', url: '/' })).body).toContain('<div id="root">');
    expect((await t.server.inject({ method: 'GET', url: '/assets/app.js' })).headers['content-type']).toMatch(
      /javascript/,
    );
    // A dashboard route the browser navigates to directly gets the app, an unknown API path does not.
    expect((await t.server.inject({ method: 'GET', url: '/incidents/inc_1' })).body).toContain(
      '<div id="root">',
    );
    expect((await t.server.inject({ method: 'GET', url: '/api/nope' })).statusCode).toBe(404);
  });

  it('answers on a real loopback socket with the cookie attributes a browser needs', async () => {
    const t = await createHttpTestApp(dialect);
    const url = await t.server.listen({ host: '127.0.0.1', port: 0 });
    t.app.clock.advance(30_000);
    const login = await send(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'viewer@breachdesk.test',
        password: PASSWORD,
        code: totpCode(t.secrets.viewer, t.app.clock.now()),
      }),
    });
    expect(login.response.statusCode).toBe(200);
    const setCookie = login.response.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(
      /^breachdesk_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    const cookie = setCookie.split(';')[0]!;
    const summary = await send(`${url}/api/incidents/${t.incidentId}/summary`, { headers: { cookie } });
    expect(summary.response.statusCode).toBe(200);
    expect(JSON.parse(summary.body)).toMatchObject({ people: { total: 3 }, recipients: 4 });
    expect(summary.response.headers['cache-control']).toBe('no-store');
  });
});
