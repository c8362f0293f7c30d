import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readZoneFolder, zoneResolver } from '../../src/adapters/dns-resolver.js';
import { testDialects } from '../support/databases.js';
import { createTestApp } from '../support/test-app.js';

const BLAZE = 'test/fixtures/mail/dkim-blaze';

describe.each(testDialects())('monitor identity on %s', (dialect) => {
  it('stores brands and official domains, replacing only the lists given, with an audit entry', async () => {
    const app = await createTestApp(dialect);
    expect(await app.monitor.identity()).toEqual({
      brands: [],
      sendingDomains: [],
      linkDomains: [],
      sendingServices: [],
    });
    await app.monitor.setIdentity({
      brands: 'GitHub, GitHub Support',
      official: 'GitHub.com,githubusercontent.com',
    });
    await app.monitor.setIdentity({ services: 'sendgrid.net', links: 'github.io' });
    expect(await app.monitor.identity()).toEqual({
      brands: ['GitHub', 'GitHub Support'],
      sendingDomains: ['github.com', 'githubusercontent.com'],
      linkDomains: ['github.io'],
      sendingServices: ['sendgrid.net'],
    });
    const audit = await app.store.db
      .selectFrom('audit_entry')
      .selectAll()
      .where('action', '=', 'identity.set')
      .execute();
    expect(audit).toHaveLength(2);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ brand: ['GitHub', 'GitHub Support'] });
  });

  it('refuses a list that is not domains, naming the flag, and changes nothing', async () => {
    const app = await createTestApp(dialect);
    await expect(app.monitor.setIdentity({ official: 'github.com, not a domain' })).rejects.toMatchObject({
      name: 'UserError',
      context: { field: '--official' },
    });
    await expect(app.monitor.setIdentity({})).rejects.toThrow(/nothing to set/);
    expect((await app.monitor.identity()).sendingDomains).toEqual([]);
  });

  it('judges mail against the stored identity: real GitHub mail is clean, a spoof of it is phishing', async () => {
    const app = await createTestApp(dialect, {
      mailResolver: zoneResolver(readZoneFolder(`${BLAZE}/cache`)),
    });
    await app.monitor.setIdentity({ brands: 'GitHub', official: 'github.com', services: 'sendgrid.net' });
    const genuine = await app.monitor.inspect(readFileSync(`${BLAZE}/002.mail`));
    expect(genuine).toMatchObject({ verdict: 'clean', from: 'notifications@github.com' });
    expect(genuine.reasons.map((r) => r.code)).toContain('official_sender_authenticated');
    const spoof = Buffer.from(
      'Received: from evil.example (evil.example [203.0.113.9])\r\n\tby mx.example; Fri, 20 Nov 2026 09:00:00 +0000\r\n' +
        'From: GitHub <noreply@github.com>\r\nReply-To: support@github-help.example\r\nTo: dana@customer.example\r\n' +
        'Subject: Your GitHub account is locked\r\nContent-Type: text/plain\r\n\r\n' +
        'Please confirm your password within 24 hours: https://github.com.account-unlock.example/login\r\n',
    );
    const verdict = await app.monitor.scan(spoof);
    expect(verdict.verdict).toBe('phishing');
    expect(verdict.reasons.map((r) => r.code)).toEqual(
      expect.arrayContaining([
        'spoofed_official_sender',
        'asks_password',
        'lookalike_link',
        'reply_to_foreign',
      ]),
    );
  });

  it('picks up an identity changed by another process within a minute', async () => {
    const app = await createTestApp(dialect);
    await app.monitor.setIdentity({ brands: 'Initech', official: 'initech.example' });
    const lure = Buffer.from(
      'From: Globex Billing <billing@payments.example>\r\nTo: dana@customer.example\r\nSubject: Invoice\r\n\r\nSee the invoice.\r\n',
    );
    expect((await app.monitor.scan(lure)).verdict).toBe('clean');
    await app.store.db
      .insertInto('identity_entry')
      .values({ kind: 'brand', value: 'Globex', position: 1, updated_at: '2026-11-20T09:00:00Z' })
      .execute();
    expect((await app.monitor.scan(lure)).reasons).toEqual([]);
    app.clock.advance(61_000);
    const codes = (await app.monitor.scan(lure)).reasons.map((r) => r.code);
    expect(codes).toContain('brand_in_display_name');
  });
});
