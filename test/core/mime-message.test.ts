import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeMime, mimeText, quotedPrintable, type MimeFields } from '../../src/core/mime-message.js';

const DATE = new Date('2026-11-20T09:00:00Z');
const BOUNDARY = '=_bd_test';

function fields(overrides: Partial<MimeFields> = {}): MimeFields {
  return {
    from: { name: 'Acme Security', address: 'security@notices.example.com' },
    to: 'zoe.miller+news@example.org',
    subject: 'About the analytics vendor incident',
    text: 'Hello Zoë,\n\nyour name and city were exposed.\n',
    html: '<p style="margin: 0">Hello Zoë,</p>\n<p>your name and city were exposed.</p>\n',
    messageId: '<ntc_1@notices.example.com>',
    headers: { 'X-Breachdesk-Reference': 'BD-7Q4K' },
    ...overrides,
  };
}

function compose(overrides: Partial<MimeFields> = {}): string {
  const message = composeMime(fields(overrides), { date: DATE, boundary: BOUNDARY });
  if (!message) throw new Error('expected the plain composer to take this message');
  return mimeText(message);
}

describe('a notice composed as MIME', () => {
  it('reads back as written: names, subject and bodies in any script, and the headers breachdesk adds', async () => {
    const text = `Grüße, 田中さん — ${'a long line of text '.repeat(10)}\n.a line starting with a dot\n=equals=\ttrailing tab\t\nspaces at the end   \n`;
    const html = `<p class="x">${'€'.repeat(60)}</p>`;
    const mail = await simpleParser(
      compose({
        from: { name: 'Sécurité "Acme"', address: 'security@notices.example.com' },
        subject: `Sicherheitsvorfall bei einem Dienstleister — ${'was das für Sie bedeutet '.repeat(3)}`,
        text,
        html,
      }),
    );
    expect(mail.from?.value).toEqual([{ name: 'Sécurité "Acme"', address: 'security@notices.example.com' }]);
    expect(mail.subject).toBe(
      `Sicherheitsvorfall bei einem Dienstleister — ${'was das für Sie bedeutet '.repeat(3).trim()}`,
    );
    expect(mail.text).toBe(text);
    expect(mail.html).toBe(html);
    expect(mail.messageId).toBe('<ntc_1@notices.example.com>');
    expect(mail.headers.get('x-breachdesk-reference')).toBe('BD-7Q4K');
    expect(mail.date?.toISOString()).toBe(DATE.toISOString());
  });

  it('keeps header lines within 78 characters and body lines within 76, all ASCII with CRLF', () => {
    const eml = compose({
      subject: `${'Ünïcödé '.repeat(20)}and ${'plain words '.repeat(12)}`,
      text: `${'x'.repeat(500)}\n${'ü'.repeat(200)}\n`,
      html: `<p>${'=<>'.repeat(100)}</p>`,
    });
    const [head = '', body = ''] = eml.split('\r\n\r\n', 2);
    expect(eml).toMatch(/^[\x20-\x7e\r\n\t]*$/);
    expect(eml.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of head.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    for (const line of body.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
  });

  it('never lets a value add a header line, whatever it carries', async () => {
    const mail = await simpleParser(
      compose({
        subject: 'Hello\r\nBcc: attacker@evil.test',
        from: { name: 'Acme\nReply-To: attacker@evil.test', address: 'security@notices.example.com' },
        headers: { 'X-Breachdesk-Reference': 'BD-1\r\nX-Injected: yes' },
      }),
    );
    expect(mail.headers.has('bcc')).toBe(false);
    expect(mail.headers.has('reply-to')).toBe(false);
    expect(mail.headers.has('x-injected')).toBe(false);
    expect(mail.subject).toBe('Hello Bcc: attacker@evil.test');
  });

  it('leaves an address that is not a plain ASCII dot-atom to the general composer', () => {
    const compose = (to: string) => composeMime(fields({ to }), { date: DATE, boundary: BOUNDARY });
    expect(compose('zoë@example.org')).toBeNull();
    expect(compose('"zoe miller"@example.org')).toBeNull();
    expect(compose('zoe@exämple.org')).toBeNull();
    expect(compose('zoe@example.org\r\nBcc: x@evil.test')).toBeNull();
    expect(compose("zoe.o'neil@example.org")).not.toBeNull();
  });

  it('encodes quoted-printable so that no line ends in whitespace and no escape is cut', () => {
    expect(quotedPrintable('a = b \nc\t')).toBe('a =3D b=20\r\nc=09');
    const long = quotedPrintable('é'.repeat(40));
    for (const line of long.split('\r\n')) {
      expect(line.length).toBeLessThanOrEqual(76);
      expect(line.replace(/=$/, '')).toMatch(/^(=[0-9A-F]{2})*$/);
    }
  });
});
