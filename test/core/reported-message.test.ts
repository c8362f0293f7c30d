import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readReportedMessage } from '../../src/core/reported-message.js';

const crlf = (...lines: string[]) => Buffer.from(lines.join('\r\n'));

const ORIGINAL = [
  'Delivered-To: Ann.Example@Acme.test',
  'From: "IT Helpdesk" <helpdesk@acme-support.test>',
  'To: "Example, Ann" <ann.example@acme.test>, bob@acme.test',
  'Subject: =?UTF-8?B?UGFzc3dvcnQgbMOkdWZ0IGFi?=',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Your password expires today. Log in at https://acme-support.test/login',
  '',
].join('\r\n');

function forwardAsAttachment(original: string, encoding?: 'base64'): Buffer {
  const body = encoding === 'base64' ? Buffer.from(original).toString('base64') : original;
  return crlf(
    'From: Carol <carol@acme.test>',
    'To: phishing@acme.test',
    'Subject: Fwd: Passwort läuft ab',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="outer"',
    '',
    '--outer',
    'Content-Type: text/plain',
    '',
    'Is this real?',
    '--outer',
    'Content-Type: message/rfc822',
    ...(encoding ? [`Content-Transfer-Encoding: ${encoding}`] : []),
    '',
    body,
    '--outer--',
    '',
  );
}

describe('reading a reported message', () => {
  it('judges the attached original, byte for byte, and takes its Delivered-To', () => {
    const message = readReportedMessage(forwardAsAttachment(ORIGINAL), ['phishing@acme.test']);
    expect(message.form).toBe('attached');
    expect(message.judged.toString('latin1')).toBe(ORIGINAL);
    expect(message.recipients).toEqual(['ann.example@acme.test']);
    expect(message.addressedBy).toBe('original');
    expect(message.fromDomain).toBe('acme-support.test');
    expect(message.subject).toBe('Passwort läuft ab');
    expect(message.headers).toContain('Subject: Fwd:');
  });

  it('decodes an original attached in base64', () => {
    const message = readReportedMessage(forwardAsAttachment(ORIGINAL, 'base64'), []);
    expect(message.judged.toString('latin1')).toBe(ORIGINAL);
  });

  it("takes To and Cc when the original has no Delivered-To, without display names' addresses", () => {
    const original = ORIGINAL.replace(/^Delivered-To:.*\r\n/, '')
      .replace('"Example, Ann"', '"spoof@evil.test"')
      .replace('Subject:', 'Cc: Dan <dan@acme.test>\r\nSubject:');
    const message = readReportedMessage(forwardAsAttachment(original), []);
    expect(message.recipients).toEqual(['ann.example@acme.test', 'bob@acme.test', 'dan@acme.test']);
  });

  it('takes the forwarded phish fixture apart: a fake bounce, addressed to the reporter', () => {
    const raw = readFileSync('test/fixtures/dsn/forwarded-phish.eml');
    const message = readReportedMessage(raw, ['phishing@notices.acme.example']);
    expect(message.form).toBe('attached');
    expect(message.recipients).toEqual(['carol@example.org']);
    expect(message.fromDomain).toBe('acme-notices.example');
    expect(message.judged.toString()).toMatch(/^From: Mail Delivery Subsystem/);
  });

  it('reads a Gmail inline forward', () => {
    const raw = crlf(
      'From: Carol <carol@acme.test>',
      'To: phishing@acme.test',
      'Subject: Fwd: Invoice',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Look at this=2E',
      '',
      '---------- Forwarded message ---------',
      'From: Billing <billing@payments-acme.test>',
      'Date: Mon, 23 Nov 2026 at 10:00',
      'Subject: Invoice overdue',
      'To: <carol@acme.test>, Erin <erin@acme.test>',
      '',
      'Pay now.',
    );
    const message = readReportedMessage(raw, []);
    expect(message.form).toBe('inline');
    expect(message.recipients).toEqual(['carol@acme.test', 'erin@acme.test']);
    expect(message.fromDomain).toBe('payments-acme.test');
    expect(message.subject).toBe('Invoice overdue');
    expect(message.judged).toBe(raw);
  });

  it('reads an Outlook inline forward in HTML, in German', () => {
    const raw = crlf(
      'From: Frank <frank@acme.test>',
      'Subject: WG: Konto gesperrt',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>Bitte prüfen</p><div>-----Ursprüngliche Nachricht-----<br>',
      '<b>Von:</b> Bank &lt;service@bank-acme.test&gt;<br>',
      '<b>An:</b> frank@acme.test<br><b>Betreff:</b> Konto gesperrt<br></div>',
      '<p>Klicken Sie hier</p>',
    );
    const message = readReportedMessage(raw, []);
    expect(message.form).toBe('inline');
    expect(message.recipients).toEqual(['frank@acme.test']);
    expect(message.fromDomain).toBe('bank-acme.test');
  });

  it("falls back to the reporter's address when the forward names no recipient", () => {
    const original = ORIGINAL.replace(/^Delivered-To:.*\r\n/, '').replace(
      /^To:.*\r\n/m,
      'To: undisclosed-recipients:;\r\n',
    );
    const message = readReportedMessage(forwardAsAttachment(original), []);
    expect(message.recipients).toEqual(['carol@acme.test']);
    expect(message.addressedBy).toBe('reporter');
  });

  it('addresses a message that is no forward to its envelope recipients', () => {
    const raw = crlf('From: attacker@evil.test', 'To: someone@acme.test', 'Subject: hi', '', 'hello');
    const message = readReportedMessage(raw, ['Trap@Acme.test', 'not an address']);
    expect(message).toMatchObject({
      form: 'direct',
      recipients: ['trap@acme.test'],
      addressedBy: 'envelope',
      fromDomain: 'evil.test',
      subject: 'hi',
    });
  });

  it('survives hostile structure: no header end, endless nesting, unterminated parts, NUL bytes', () => {
    const nested = Array.from(
      { length: 200 },
      (_, i) => `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`,
    ).join('');
    const cases = [
      Buffer.alloc(0),
      Buffer.from('no header end at all'),
      Buffer.from(`From: a@b.test\r\n${nested}`),
      crlf(
        'Content-Type: multipart/mixed; boundary=x',
        '',
        '--x',
        'Content-Type: message/rfc822',
        '',
        'From: x',
      ),
      crlf('Content-Type: multipart/mixed; boundary=""', '', '--', 'x'),
      Buffer.concat([Buffer.from('Subject: \u0000\u0001'), Buffer.alloc(1000, 0xff)]),
      crlf(`X-Long: ${'a'.repeat(100_000)}`, `To: ${'x@y.test,'.repeat(10_000)}`, '', ''),
    ];
    for (const raw of cases) {
      const message = readReportedMessage(raw, ['r@acme.test']);
      expect(message.recipients.length).toBeLessThanOrEqual(100);
    }
  });

  it('reads a 10 MB message built to make a MIME parser quadratic in well under a few seconds', () => {
    const started = Date.now();
    const noLines = Buffer.from(
      `Content-Type: multipart/mixed; boundary=a\r\n\r\nx${'--a'.repeat(3_000_000)}`,
    );
    const manyLines = Buffer.from(
      `Content-Type: multipart/mixed; boundary=a\r\n\r\n${'--a x\r\n'.repeat(1_500_000)}`,
    );
    readReportedMessage(noLines, []);
    readReportedMessage(manyLines, []);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.string({ maxLength: 500 }), (bytes, text) => {
        readReportedMessage(Buffer.from(bytes), []);
        readReportedMessage(forwardAsAttachment(text), []);
      }),
      { numRuns: 300 },
    );
  });
});
