import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dkimSign } from 'mailauth';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { authenticateMail } from '../../src/adapters/mail-authenticator.js';
import {
  addRecord,
  offlineResolver,
  readZoneFolder,
  systemMailResolver,
  zoneResolver,
  type Zone,
} from '../../src/adapters/dns-resolver.js';
import { startDnsServer } from '../support/dns-server.js';

const BLAZE = 'test/fixtures/mail/dkim-blaze';
const blazeResolver = zoneResolver(readZoneFolder(`${BLAZE}/cache`));
const blaze = (name: string) => readFileSync(`${BLAZE}/${name}`);

describe('authentication of real signed messages with their captured DNS', () => {
  it('verifies GitHub mail: DKIM, SPF from the Received IP, DMARC', async () => {
    const auth = await authenticateMail(blaze('001.mail'), { resolver: blazeResolver });
    expect(auth.dkim).toContainEqual(
      expect.objectContaining({ domain: 'github.com', result: 'pass', aligned: true, source: 'verified' }),
    );
    expect(auth.spf).toMatchObject({ result: 'pass', domain: 'sgmail.github.com', source: 'verified' });
    expect(auth.dmarc).toMatchObject({ result: 'pass', policy: 'reject', source: 'verified' });
  });

  it('verifies an ARC chain sealed by Google', async () => {
    const auth = await authenticateMail(blaze('002.mail'), { resolver: blazeResolver });
    expect(auth.arc).toEqual({ result: 'pass', source: 'verified' });
    expect(auth.dmarc.result).toBe('pass');
  });

  it('passes DMARC through DKIM where the captured SPF record no longer lists the sending IP', async () => {
    const auth = await authenticateMail(blaze('003.mail'), { resolver: blazeResolver });
    expect(auth.dkim[0]).toMatchObject({ domain: 'janestreet.com', result: 'pass' });
    expect(auth.spf.result).toBe('fail');
    expect(auth.dmarc).toMatchObject({ result: 'pass', source: 'verified' });
  });

  it('verifies an Ed25519 signature (RFC 8463 example)', async () => {
    const auth = await authenticateMail(blaze('007.mail'), { resolver: blazeResolver });
    expect(auth.dkim[0]).toMatchObject({ domain: 'football.example.com', result: 'pass' });
  });

  it("falls back to the receiving server's results where the key was not captured", async () => {
    const auth = await authenticateMail(blaze('006.mail'), { resolver: blazeResolver });
    expect(auth.dkim[0]).toMatchObject({ domain: 'arm.com', result: 'pass', source: 'receiver' });
    expect(auth.dmarc).toMatchObject({ result: 'pass', source: 'receiver' });
  });

  it('reads a list-mangled message as the receiver did, with its intact ARC chain', async () => {
    const auth = await authenticateMail(blaze('005.mail'), { resolver: blazeResolver });
    expect(auth.dmarc).toMatchObject({ result: 'fail', policy: 'none', source: 'receiver' });
    expect(auth.arc).toEqual({ result: 'pass', source: 'verified' });
  });

  it('reports DNS trouble as a temporary error, not as a missing record', async () => {
    const auth = await authenticateMail(blaze('004.mail'), { resolver: offlineResolver });
    expect(auth.dkim[0]).toMatchObject({ domain: 'discoursemail.com', result: 'pass', source: 'receiver' });
    expect(auth.dmarc.result).not.toBe('none');
  });
});

describe('messages signed here with nodemailer, verified against an in-memory zone', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const zone: Zone = {};
  addRecord(
    zone,
    's1._domainkey.acme.example',
    'TXT',
    `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`,
  );
  addRecord(zone, 'acme.example', 'TXT', 'v=spf1 ip4:192.0.2.10 -all');
  addRecord(zone, '_dmarc.acme.example', 'TXT', 'v=DMARC1; p=reject');
  const resolver = zoneResolver(zone);
  const trace = (ip: string) =>
    `Return-Path: <bounces@acme.example>\r\nReceived: from mail.acme.example (mail.acme.example [${ip}])\r\n\tby mx.customer.example; Fri, 20 Nov 2026 09:00:01 +0000\r\n`;

  async function signed(body: string): Promise<Buffer> {
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    const info = (await transport.sendMail({
      from: 'Acme <notices@acme.example>',
      to: 'dana@customer.example',
      subject: 'Your invoice',
      text: body,
      dkim: { domainName: 'acme.example', keySelector: 's1', privateKey: pem },
    })) as { message: Buffer };
    return info.message;
  }

  it('passes DKIM, SPF and DMARC', async () => {
    const raw = Buffer.concat([Buffer.from(trace('192.0.2.10')), await signed('Your invoice is ready.')]);
    const auth = await authenticateMail(raw, { resolver });
    expect(auth.dkim).toEqual([
      {
        result: 'pass',
        domain: 'acme.example',
        aligned: true,
        bodyLengthLimited: false,
        unsignedBytes: 0,
        source: 'verified',
      },
    ]);
    expect(auth.spf.result).toBe('pass');
    expect(auth.dmarc).toMatchObject({ result: 'pass', policy: 'reject' });
  });

  it('passes them as well through the system resolver asking a DNS server', async () => {
    const server = await startDnsServer(zone);
    try {
      const raw = Buffer.concat([Buffer.from(trace('192.0.2.10')), await signed('Your invoice is ready.')]);
      const auth = await authenticateMail(raw, {
        resolver: systemMailResolver({ servers: [server.address] }),
      });
      expect([auth.dkim[0]?.result, auth.spf.result, auth.dmarc.result]).toEqual(['pass', 'pass', 'pass']);
    } finally {
      await server.stop();
    }
  });

  it('fails DKIM and DMARC when the body was changed after signing and the IP is not allowed', async () => {
    const raw = Buffer.concat([Buffer.from(trace('203.0.113.9')), await signed('Pay invoice 1001.')]);
    const tampered = Buffer.from(raw.toString('latin1').replace('1001', '6666'), 'latin1');
    const auth = await authenticateMail(tampered, { resolver });
    expect(auth.dkim[0]?.result).toBe('fail');
    expect(auth.spf.result).toBe('fail');
    expect(auth.dmarc).toMatchObject({ result: 'fail', policy: 'reject' });
  });

  it('flags a DKIM l= signature with content appended after the signed length', async () => {
    const message = Buffer.from(
      'From: notices@acme.example\r\nTo: dana@customer.example\r\nSubject: Hi\r\n\r\nSigned part.\r\n',
    );
    const { signatures } = await dkimSign(message, {
      signingDomain: 'acme.example',
      selector: 's1',
      privateKey: pem,
      signatureData: [{ signingDomain: 'acme.example', selector: 's1', privateKey: pem, maxBodyLength: 14 }],
    });
    const raw = Buffer.concat([
      Buffer.from(signatures),
      message,
      Buffer.from('Appended: click https://evil.example\r\n'),
    ]);
    const auth = await authenticateMail(raw, { resolver });
    expect(auth.dkim[0]).toMatchObject({ result: 'pass', bodyLengthLimited: true });
    expect(auth.dkim[0]!.unsignedBytes).toBeGreaterThan(0);
  });

  it('does not look up keys for a hostile pile of signatures', async () => {
    let lookups = 0;
    const counting = (name: string, rrtype: string) => {
      lookups++;
      return resolver(name, rrtype);
    };
    const pile = Array.from(
      { length: 50 },
      (_, i) => `DKIM-Signature: v=1; a=rsa-sha256; d=acme.example; s=s${i}; h=from; bh=AAAA; b=AAAA\r\n`,
    ).join('');
    const raw = Buffer.concat([Buffer.from(pile), await signed('Hello.')]);
    const auth = await authenticateMail(raw, { resolver: counting });
    expect(lookups).toBe(0);
    expect(auth.dkim.every((sig) => sig.result !== 'pass')).toBe(true);
  });
});
