import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authenticate, type DNSResolver } from 'mailauth';
import { describe, expect, it } from 'vitest';
import { startMailSink } from '../../src/adapters/mail-sink.js';
import { createSmtpSender } from '../../src/adapters/smtp-sender.js';
import { testDialects } from '../support/databases.js';
import { approvedDemoIncident, createTestApp } from '../support/test-app.js';

const DOMAIN = 'notices.example.com';
const SELECTOR = 'bd2026';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** Answers only the DKIM key record, as DNS carries it; no network. */
function dnsWithKey(publicKey: KeyObject): DNSResolver {
  const record = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
  return (name, rrtype) =>
    rrtype === 'TXT' && name === `${SELECTOR}._domainkey.${DOMAIN}`
      ? Promise.resolve([record.match(/.{1,255}/g) ?? []])
      : Promise.reject(Object.assign(new Error(`no ${rrtype} record for ${name}`), { code: 'ENOTFOUND' }));
}

describe.each(testDialects())('notices sent through the outbox with DKIM on %s', (dialect) => {
  it.each([
    ['in signing threads', 2],
    ['on the sending thread', 0],
  ])('carry a signature a verifier passes, signed %s', async (_how, signingThreads) => {
    const app = await createTestApp(dialect);
    const { id, added } = await approvedDemoIncident(app, 100);
    const mailDir = join(app.dir, 'mail');
    const sink = await startMailSink({ dir: mailDir });
    const sender = createSmtpSender({
      url: sink.url,
      maxConnections: 4,
      signingThreads,
      dkim: { domainName: DOMAIN, keySelector: SELECTOR, privateKey: rsa.privateKey },
    });
    try {
      expect((await app.delivery.send(id, { sender, concurrency: 8 })).sent).toBe(added);
    } finally {
      sender.close();
      await sink.close();
    }
    const files = readdirSync(mailDir).sort();
    expect(files).toHaveLength(added);
    for (const file of files.slice(0, 10)) {
      const eml = readFileSync(join(mailDir, file), 'utf8');
      const result = await authenticate(eml, {
        resolver: dnsWithKey(rsa.publicKey),
        ip: '127.0.0.1',
        helo: 'localhost',
        sender: app.config.company.fromAddress,
        mta: 'mx.test',
        disableArc: true,
        disableBimi: true,
        disableDmarc: true,
      });
      expect(result.dkim.results.map((r) => r.status.result)).toEqual(['pass']);
      expect(eml).toMatch(/^Message-ID: <ntc_/im);
      expect(eml).toMatch(/^X-Breachdesk-Reference: /im);
    }
  });
});
