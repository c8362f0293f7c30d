import { describe, expect, it } from 'vitest';
import { csvRows } from './csv-rows.js';
import { testDialects } from '../support/databases.js';
import { createHttpTestApp, PASSWORD, sessionCookie, totpCode } from './http-test-app.js';

const FORMULA_START = /^[=+\-@\t\r]/;

describe.each(testDialects())('hostile requests and data on %s', (dialect) => {
  it('neutralizes every formula-looking cell in the CSV exports', async () => {
    const t = await createHttpTestApp(dialect);
    const admin = await t.login('admin');
    for (const what of ['people', 'notices']) {
      const response = await t.call(admin, {
        method: 'GET',
        url: `/api/incidents/${t.incidentId}/exports/${what}?format=csv`,
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toBe(
        `attachment; filename="${t.incidentId}-${what}.csv"`,
      );
      const cells = csvRows(response.body).flat();
      expect(cells.filter((cell) => FORMULA_START.test(cell))).toEqual([]);
      if (what === 'people') {
        expect(cells).toContain(`'=HYPERLINK("http://evil.test")`);
        expect(cells).toContain(`'=cmd@evil.test`);
      }
    }
    const json = await t.call(admin, {
      method: 'GET',
      url: `/api/incidents/${t.incidentId}/exports/people?format=json`,
    });
    const people = json.json<{ accountId: string | null }[]>();
    // JSON keeps the value as it is: only spreadsheets evaluate formulas.
    expect(people.map((person) => person.accountId)).toContain('=HYPERLINK("http://evil.test")');
    const audit = await t.app.audit.recent({ incidentId: t.incidentId });
    expect(audit.filter((entry) => entry.action.endsWith('.export')).map((entry) => entry.actor)).toEqual([
      'admin@breachdesk.test',
      'admin@breachdesk.test',
      'admin@breachdesk.test',
    ]);
  });

  it('refuses a state change without the CSRF token, with a wrong one, or with another session’s', async () => {
    const t = await createHttpTestApp(dialect);
    const admin = await t.login('admin');
    const other = await t.login('admin');
    const approve = { method: 'POST', url: `/api/incidents/${t.incidentId}/notices/approve` };
    const refused = [
      await t.server.inject({ ...approve, headers: { cookie: admin.cookie } } as never),
      await t.call(admin, { ...approve, headers: { 'x-csrf-token': 'x'.repeat(43) } }),
      await t.call(admin, { ...approve, headers: { 'x-csrf-token': other.csrf } }),
    ];
    expect(refused.map((r) => [r.statusCode, r.json<{ error: string }>().error])).toEqual(
      Array(3).fill([403, 'missing or wrong X-CSRF-Token header']),
    );
    expect(await t.app.notices.status(t.incidentId, { actor: 't', role: 'admin' })).toMatchObject({
      queued: 4,
    });
    const pending = await t.app.audit.recent({ incidentId: t.incidentId });
    expect(pending.some((entry) => entry.action === 'notices.approve')).toBe(false);
    const accepted = await t.call(admin, approve);
    expect(accepted.statusCode).toBe(200);
    const entries = await t.app.audit.recent({ incidentId: t.incidentId });
    expect(entries.find((entry) => entry.action === 'notices.approve')).toMatchObject({
      action: 'notices.approve',
      actor: 'admin@breachdesk.test',
      detail: { by: 'admin@breachdesk.test', approved: 4 },
    });
  });

  it('issues a new session id at every login and forgets the one the browser brought (no fixation)', async () => {
    const t = await createHttpTestApp(dialect);
    const planted = 'breachdesk_session=attacker-chosen-value-0123456789';
    const first = await t.login('viewer');
    t.app.clock.advance(30_000);
    const login = await t.server.inject({
      method: 'POST',
      url: '/api/session',
      headers: { cookie: first.cookie },
      payload: {
        email: 'viewer@breachdesk.test',
        password: PASSWORD,
        code: totpCode(t.secrets.viewer, t.app.clock.now()),
      },
    });
    const second = sessionCookie(login);
    expect(second).not.toBe(first.cookie);
    expect(second).not.toBe(planted);
    const me = (cookie: string) =>
      t.server.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
    expect((await me(first.cookie)).statusCode).toBe(401);
    expect((await me(planted)).statusCode).toBe(401);
    expect((await me(second)).json()).toMatchObject({
      user: { email: 'viewer@breachdesk.test', role: 'viewer' },
    });
    const cookie = login.cookies.find((c) => c.name === 'breachdesk_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const csrf = login.json<{ csrfToken: string }>().csrfToken;
    const logout = await t.server.inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { cookie: second, 'x-csrf-token': csrf },
    });
    expect(logout.statusCode).toBe(200);
    expect((await me(second)).statusCode).toBe(401);
  });

  it('rate-limits failed logins per address, even when the next password is right', async () => {
    const t = await createHttpTestApp(dialect);
    const attempt = (password: string) =>
      t.server.inject({
        method: 'POST',
        url: '/api/session',
        payload: {
          email: 'viewer@breachdesk.test',
          password,
          code: totpCode(t.secrets.viewer, t.app.clock.now()),
        },
      });
    const failures = [];
    for (let i = 0; i < 5; i++) failures.push((await attempt(`wrong-${i}`)).statusCode);
    expect(failures).toEqual([401, 401, 401, 401, 401]);
    expect((await attempt(PASSWORD)).statusCode).toBe(429);
    t.app.clock.advance(15 * 60_000 + 1000);
    expect((await attempt(PASSWORD)).statusCode).toBe(200);
    const audit = await t.app.audit.recent({});
    expect(audit.filter((e) => e.action === 'login.failed')).toHaveLength(5);
    expect(JSON.stringify(audit)).not.toContain('wrong-');
  });

  it('accepts a TOTP code once, and refuses admins without one', async () => {
    const t = await createHttpTestApp(dialect);
    const body = {
      email: 'admin@breachdesk.test',
      password: PASSWORD,
      code: totpCode(t.secrets.admin, t.app.clock.now()),
    };
    const first = await t.server.inject({ method: 'POST', url: '/api/session', payload: body });
    const replay = await t.server.inject({ method: 'POST', url: '/api/session', payload: body });
    const none = await t.server.inject({
      method: 'POST',
      url: '/api/session',
      payload: { ...body, code: undefined },
    });
    expect([first.statusCode, replay.statusCode, none.statusCode]).toEqual([200, 401, 401]);
    expect(replay.json()).toEqual({ error: 'wrong email, password or code' });
  });

  it('answers JSON only, within a size limit, and never with a stack trace', async () => {
    const t = await createHttpTestApp(dialect);
    const form = await t.server.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=a&password=b',
    });
    expect(form.statusCode).toBe(415);
    const big = await t.server.inject({
      method: 'POST',
      url: '/api/verify',
      payload: { referenceCode: 'A', address: 'a@b.test', padding: 'x'.repeat(70_000) },
    });
    expect(big.statusCode).toBe(413);
    const poisoned = await t.server.inject({
      method: 'POST',
      url: '/api/verify',
      headers: { 'content-type': 'application/json' },
      payload: '{"referenceCode":"A","address":"a@b.test","__proto__":{"admin":true}}',
    });
    expect(poisoned.statusCode).toBe(400);
    const broken = await t.server.inject({
      method: 'POST',
      url: '/api/verify',
      headers: { 'content-type': 'application/json' },
      payload: '{"referenceCode":',
    });
    expect(broken.statusCode).toBe(400);
    for (const response of [form, big, poisoned, broken]) {
      expect(Object.keys(response.json<object>())).toEqual(['error']);
      expect(response.body).not.toMatch(/at .*\.(ts|js):\d+/);
    }
    const viewer = await t.login('viewer');
    const unknown = await t.call(viewer, { method: 'GET', url: '/api/incidents/inc_nope/summary' });
    expect([unknown.statusCode, unknown.json()]).toEqual([404, { error: 'unknown incident inc_nope' }]);
  });

  it('sends the security headers on API answers and pages', async () => {
    const t = await createHttpTestApp(dialect);
    for (const url of ['/api/health', '/verify', '/', '/api/nothing-here']) {
      const response = await t.server.inject({ method: 'GET', url });
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
    }
  });
});
