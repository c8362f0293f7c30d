import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authenticate, type DNSResolver } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDkimKey } from '../../src/adapters/dkim-key.js';
import { startMailSink, type MailSink } from '../../src/adapters/mail-sink.js';
import { createSmtpSender, type OutgoingMessage } from '../../src/adapters/smtp-sender.js';
import { UserError } from '../../src/core/errors.js';

const DOMAIN = 'notices.example.com';
const SELECTOR = 'bd2025';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

function writeKey(dir: string, name: string, pem: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, pem, { mode: 0o600 });
  return path;
}

/** Answers only the DKIM key record, split into 255-byte strings as DNS carries it; no network. */
function dnsWithKey(publicKey: KeyObject): DNSResolver {
  const record = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
  return (name, rrtype) => {
    if (rrtype === 'TXT' && name === `${SELECTOR}._domainkey.${DOMAIN}`) {
      return Promise.resolve([record.match(/.{1,255}/g) ?? []]);
    }
    return Promise.reject(Object.assign(new Error(`no ${rrtype} record for ${name}`), { code: 'ENOTFOUND' }));
  };
}

function verify(eml: string, resolver: DNSResolver) {
  return authenticate(eml, {
    resolver,
    ip: '127.0.0.1',
    helo: 'localhost',
    sender: `security@${DOMAIN}`,
    mta: 'mx.test',
    disableArc: true,
    disableBimi: true,
    disableDmarc: true,
  });
}

function notice(to: string): OutgoingMessage {
  return {
    from: { name: 'Example Security', address: `security@${DOMAIN}` },
    to,
    subject: 'Benachrichtigung über einen Sicherheitsvorfall',
    // Runs of spaces and tabs: what relaxed body canonicalization folds before hashing.
    text: 'Your name and email address were exposed.\t Reference  BD-7Q4K.\n    Indented line.\n\n\n',
    html: '<p>Your name and email address were exposed. Reference <b>BD-7Q4K</b>.</p>',
    messageId: `<notice-1.${to}@${DOMAIN}>`,
    headers: { 'X-Breachdesk-Reference': 'BD-7Q4K' },
  };
}

const replaceInBody = (eml: string, from: string, to: string) => {
  const split = eml.indexOf('\r\n\r\n');
  return eml.slice(0, split) + eml.slice(split).replace(from, to);
};

describe('DKIM-signed sending', () => {
  let dir: string;
  let sink: MailSink;
  let received: (n: number) => string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'breachdesk-dkim-'));
    sink = await startMailSink({ dir: join(dir, 'mail') });
    received = (n) => readFileSync(join(dir, 'mail', readdirSync(join(dir, 'mail')).sort()[n - 1]!), 'utf8');
    const key = loadDkimKey(
      writeKey(dir, 'dkim.pem', rsa.privateKey.export({ type: 'pkcs8', format: 'pem' })),
    );
    const signed = createSmtpSender({
      url: sink.url,
      maxConnections: 2,
      dkim: { domainName: DOMAIN, keySelector: SELECTOR, privateKey: key.privateKey },
    });
    const unsigned = createSmtpSender({ url: sink.url, maxConnections: 2 });
    await signed.send(notice('alice@example.org'));
    await unsigned.send(notice('bob@example.org'));
    await signed.send(notice('zoë@exämple.org'));
    signed.close();
    unsigned.close();
  });

  afterAll(async () => {
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs each message so that a verifier holding the DNS key record passes it', async () => {
    const eml = received(1);
    const result = await verify(eml, dnsWithKey(rsa.publicKey));
    const [signature] = result.dkim.results;
    expect(result.dkim.results).toHaveLength(1);
    expect(signature?.status.result).toBe('pass');
    expect(signature?.signingDomain).toBe(DOMAIN);
    expect(signature?.selector).toBe(SELECTOR);
    expect(signature?.status.aligned).toBe(DOMAIN);
    expect(eml).toMatch(
      /^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed;\s+d=notices\.example\.com;[^;]*;\s+s=bd2025;/,
    );
  });

  it('does not verify once the body is changed after signing', async () => {
    const tampered = replaceInBody(received(1), 'BD-7Q4K', 'BD-XXXX');
    const [signature] = (await verify(tampered, dnsWithKey(rsa.publicKey))).dkim.results;
    // RFC 6376 calls a body hash mismatch a PERMFAIL; mailauth reports it as "neutral".
    expect(signature?.status).toMatchObject({ result: 'neutral', comment: 'body hash did not verify' });
  });

  it('fails verification once a signed header is changed', async () => {
    const tampered = received(1).replace(/^Subject: .*$/m, 'Subject: Action required: reset your password');
    const [signature] = (await verify(tampered, dnsWithKey(rsa.publicKey))).dkim.results;
    expect(signature?.status.result).toBe('fail');
  });

  it('fails verification against another key published under the same selector', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const [signature] = (await verify(received(1), dnsWithKey(other.publicKey))).dkim.results;
    expect(signature?.status.result).toBe('fail');
  });

  it('signs a message to a Unicode address too, which the general composer writes', async () => {
    const eml = received(3);
    expect(eml).toMatch(/^To: zoë@exämple\.org$/m);
    const [signature] = (await verify(eml, dnsWithKey(rsa.publicKey))).dkim.results;
    expect(signature?.status.result).toBe('pass');
  });

  it('sends unsigned, as before, without a DKIM option', () => {
    expect(received(2)).not.toMatch(/^DKIM-Signature:/im);
    expect(received(2)).toMatch(/^Message-ID: <notice-1\.bob@example\.org@notices\.example\.com>/m);
  });

  it('refuses keys and selectors nodemailer cannot sign with, instead of sending unsigned', () => {
    const ed25519 = generateKeyPairSync('ed25519').privateKey;
    const sender =
      (privateKey: KeyObject, keySelector = SELECTOR) =>
      () =>
        createSmtpSender({ url: sink.url, dkim: { domainName: DOMAIN, keySelector, privateKey } });
    expect(sender(ed25519)).toThrow(/rsa-sha256: give an RSA private key \(got: ed25519 key\)/);
    expect(sender(rsa.publicKey)).toThrow(/got: public key/);
    expect(sender(rsa.privateKey, 'bad selector;')).toThrow(UserError);
  });
});

describe('loading a DKIM key', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'breachdesk-dkim-key-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads an RSA key in PKCS#8 or PKCS#1 into a key object', () => {
    for (const type of ['pkcs8', 'pkcs1'] as const) {
      const key = loadDkimKey(writeKey(dir, `${type}.pem`, rsa.privateKey.export({ type, format: 'pem' })));
      expect(key).toMatchObject({ algorithm: 'rsa', bits: 2048 });
      expect(key.privateKey.equals(rsa.privateKey)).toBe(true);
    }
  });

  it('reads an Ed25519 key, whose size is fixed', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const key = loadDkimKey(
      writeKey(dir, 'ed25519.pem', privateKey.export({ type: 'pkcs8', format: 'pem' })),
    );
    expect(key).toMatchObject({ algorithm: 'ed25519', bits: null });
  });

  it('finds the private key in a file that also holds other PEM blocks', () => {
    const bundle = [
      rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    ].join('');
    expect(loadDkimKey(writeKey(dir, 'bundle.pem', bundle)).bits).toBe(2048);
  });

  const pkcs8 = (privateKey: KeyObject) => privateKey.export({ type: 'pkcs8', format: 'pem' });
  const refusals: Array<[string, () => string, RegExp]> = [
    ['a missing file', () => join(dir, 'missing.pem'), /cannot read DKIM key .*missing\.pem: ENOENT/],
    ['a folder', () => dir, /cannot read DKIM key .*: EISDIR/],
    [
      'a public key',
      () => writeKey(dir, 'public.pem', rsa.publicKey.export({ type: 'spki', format: 'pem' })),
      /public\.pem holds a public key or certificate, not a private key/,
    ],
    [
      'text that is no PEM',
      () => writeKey(dir, 'notes.txt', 'selector bd2025\n'),
      /notes\.txt is not a PEM private key/,
    ],
    [
      'a damaged PEM',
      () => writeKey(dir, 'damaged.pem', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'),
      /damaged\.pem is not a readable PEM private key/,
    ],
    [
      'RSA under 1024 bits',
      () => writeKey(dir, 'rsa512.pem', pkcs8(generateKeyPairSync('rsa', { modulusLength: 512 }).privateKey)),
      /rsa512\.pem is RSA-512; verifiers reject keys under 1024 bits/,
    ],
    [
      'an encrypted PKCS#8 key',
      () =>
        writeKey(
          dir,
          'enc8.pem',
          rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }),
        ),
      /enc8\.pem is encrypted and breachdesk takes no passphrase/,
    ],
    [
      'an encrypted PKCS#1 key',
      () =>
        writeKey(
          dir,
          'enc1.pem',
          rsa.privateKey.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }),
        ),
      /enc1\.pem is encrypted/,
    ],
    [
      'an EC key',
      () => writeKey(dir, 'ec.pem', pkcs8(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)),
      /ec\.pem has key type ec; DKIM signs with RSA or Ed25519/,
    ],
  ];

  it.each(refusals)('refuses %s with an error naming the file', (_what, file, message) => {
    const path = file();
    expect(() => loadDkimKey(path)).toThrow(UserError);
    expect(() => loadDkimKey(path)).toThrow(message);
  });
});
