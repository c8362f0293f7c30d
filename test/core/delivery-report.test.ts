import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDeliveryReport } from '../../src/core/delivery-report.js';
import type { DeliveryReport } from '../../src/core/delivery-report.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/dsn/${name}`, import.meta.url));

const NOTICE_ID = '<ntc_9v2k7m4q8x1a.inc_7q4k92xmab3c@notices.acme.example>';
const ORIGINAL_HEADERS = [
  'From: Acme Security <security@notices.acme.example>',
  'To: bob@example.com',
  'Subject: Notice of a data incident at Metricly',
  `Message-ID: ${NOTICE_ID}`,
  'X-Breachdesk-Reference: 7Q4K-92XM-AB3C',
].join('\n');
const BOB_FAILED = [
  'Final-Recipient: rfc822; bob@example.com',
  'Action: failed',
  'Status: 5.1.1',
  'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
].join('\n');

interface DsnParts {
  /** The body of the message/delivery-status part after its per-message fields. */
  recipients?: string;
  /** The headers of the text/rfc822-headers part; null leaves the part out. */
  original?: string | null;
  topHeaders?: string[];
  statusPart?: { type?: string; encoding?: 'base64' };
}

/** A DSN in the shape Postfix writes, with the pieces a test varies. */
function dsn({
  recipients = BOB_FAILED,
  original = ORIGINAL_HEADERS,
  topHeaders = [],
  statusPart = {},
}: DsnParts) {
  const statusBody = `Reporting-MTA: dns; mx.notices.acme.example\n\n${recipients}\n`;
  const encoded = statusPart.encoding === 'base64' ? Buffer.from(statusBody).toString('base64') : statusBody;
  return [
    'From: MAILER-DAEMON@mx.notices.acme.example (Mail Delivery System)',
    'Subject: Undelivered Mail Returned to Sender',
    ...topHeaders,
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B0UND"',
    '',
    '--B0UND',
    'Content-Type: text/plain',
    '',
    'I am sorry to have to inform you that your message could not be delivered.',
    '',
    '--B0UND',
    `Content-Type: ${statusPart.type ?? 'message/delivery-status'}`,
    ...(statusPart.encoding ? [`Content-Transfer-Encoding: ${statusPart.encoding}`] : []),
    '',
    encoded,
    ...(original === null ? [] : ['--B0UND', 'Content-Type: text/rfc822-headers', '', original, '']),
    '--B0UND--',
    '',
  ].join('\n');
}

/** A plain-text bounce as a non-RFC 3464 MTA writes it. */
function plainBounce(headers: string[], explanation: string, quoted = ORIGINAL_HEADERS): string {
  return [
    ...headers,
    '',
    explanation,
    '',
    '--- Below this line is a copy of the message.',
    '',
    quoted,
    '',
  ].join('\n');
}

const CONTROL = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const ACTIONS = ['failed', 'delayed', 'delivered', 'relayed', 'expanded'];

function expectClean(report: DeliveryReport | null): void {
  if (report === null) return;
  expect(['dsn', 'heuristic']).toContain(report.kind);
  expect(report.recipients.length).toBeLessThanOrEqual(100);
  const fields = [
    report.originalMessageId,
    report.reference,
    ...report.recipients.flatMap((r) => [r.address, r.status, r.diagnostic]),
  ];
  for (const value of fields) {
    if (value === null) continue;
    expect(typeof value).toBe('string');
    expect(value).not.toMatch(CONTROL);
    expect(value.length).toBeLessThanOrEqual(512);
  }
  for (const recipient of report.recipients) {
    expect(ACTIONS).toContain(recipient.action);
    expect(recipient.diagnostic?.length ?? 0).toBeLessThanOrEqual(300);
    if (recipient.status !== null) expect(recipient.status).toMatch(/^[245]\.\d{1,3}\.\d{1,3}$/);
  }
  if (report.originalMessageId !== null) expect(report.originalMessageId).toMatch(/^<[^<>\s]+@[^<>\s]+>$/);
}

describe('reading an RFC 3464 delivery status notification', () => {
  it('reads a Postfix bounce: recipient, status, one-line diagnostic, original Message-ID and reference', () => {
    expect(parseDeliveryReport(fixture('postfix-user-unknown.eml'))).toEqual({
      originalMessageId: NOTICE_ID,
      reference: '7Q4K-92XM-AB3C',
      recipients: [
        {
          address: 'bob@example.com',
          action: 'failed',
          status: '5.1.1',
          diagnostic:
            '550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in local recipient table',
        },
      ],
      kind: 'dsn',
    });
  });

  it('reads an Exim bounce with an unquoted boundary and lower-case part headers', () => {
    expect(parseDeliveryReport(fixture('exim-failed.eml'))).toEqual({
      originalMessageId: '<ntc_2h8w5c3n6t0e.inc_7q4k92xmab3c@notices.acme.example>',
      reference: '3MZT-K8QD-W2NV',
      recipients: [
        {
          address: 'carol@example.org',
          action: 'failed',
          status: '5.0.0',
          diagnostic: '550 5.2.1 <carol@example.org>: mailbox is disabled',
        },
      ],
      kind: 'dsn',
    });
  });

  it('reads a Gmail bounce nested in multipart/related and joins its multi-line 550-5.1.1 reply', () => {
    const report = parseDeliveryReport(fixture('gmail-address-not-found.eml'));
    expect(report).toMatchObject({
      originalMessageId: '<ntc_6r1y8d2b5j7g.inc_7q4k92xmab3c@notices.acme.example>',
      reference: 'H4KD-7PNE-Q2XW',
      kind: 'dsn',
      recipients: [{ address: 'dave.nobody@gmail.com', action: 'failed', status: '5.1.1' }],
    });
    const diagnostic = report?.recipients[0]?.diagnostic ?? '';
    expect(diagnostic).toMatch(/^550 5\.1\.1 The email account that you tried to reach does not exist\. /);
    expect(diagnostic).not.toContain('550-5.1.1');
    expect(diagnostic).toContain('double-checking the recipient');
    expect(diagnostic.length).toBeLessThanOrEqual(300);
  });

  it('reads a Microsoft 365 NDR with CRLF line endings and a quoted-printable text part', () => {
    const raw = fixture('m365-recipient-not-found.eml');
    expect(raw.includes('\r\n')).toBe(true);
    expect(parseDeliveryReport(raw)).toEqual({
      originalMessageId: '<ntc_0c5q9w3e7r2t.inc_7q4k92xmab3c@notices.acme.example>',
      reference: 'R8TV-2KXM-9JPD',
      recipients: [
        {
          address: 'erin@contoso.example',
          action: 'failed',
          status: '5.1.10',
          diagnostic: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
        },
      ],
      kind: 'dsn',
    });
  });

  it('reads a delayed 4.x.x warning as delayed', () => {
    expect(parseDeliveryReport(fixture('postfix-delayed.eml'))).toEqual({
      originalMessageId: '<ntc_5k3m8n1p6q2r.inc_7q4k92xmab3c@notices.acme.example>',
      reference: '6WQF-3NHT-8KZB',
      recipients: [
        {
          address: 'frank@slow.example.net',
          action: 'delayed',
          status: '4.4.1',
          diagnostic: 'connect to mx.slow.example.net[192.0.2.44]:25: Connection timed out',
        },
      ],
      kind: 'dsn',
    });
  });

  it('reads every recipient group of a multi-recipient DSN', () => {
    const report = parseDeliveryReport(fixture('sendmail-multi-recipient.eml'));
    expect(report?.originalMessageId).toBe('<ntc_8j2n5v7x3z1c.inc_7q4k92xmab3c@notices.acme.example>');
    expect(report?.recipients).toEqual([
      {
        address: 'gina@example.edu',
        action: 'failed',
        status: '5.1.1',
        diagnostic: '550 5.1.1 <gina@example.edu>... User unknown',
      },
      {
        address: 'hank@example.edu',
        action: 'failed',
        status: '5.2.2',
        diagnostic: '552 5.2.2 Mailbox full',
      },
      {
        address: 'ivy@example.edu',
        action: 'delayed',
        status: '4.4.7',
        diagnostic: '451 4.4.7 Greylisted, try again later',
      },
    ]);
  });

  it('reads the original from a headers-only part whose Message-ID is folded onto the next line', () => {
    expect(parseDeliveryReport(fixture('postfix-headers-only.eml'))).toMatchObject({
      originalMessageId: '<ntc_3d6f9h2k5m8p.inc_7q4k92xmab3c@notices.acme.example>',
      reference: '9BNC-4TRW-6YHM',
      recipients: [{ address: 'grace@old-domain.example', action: 'failed', status: '5.4.4' }],
      kind: 'dsn',
    });
  });

  it('reads the same report whatever the line endings: LF, CRLF or a lone CR', () => {
    const lf = fixture('postfix-user-unknown.eml').toString('utf8');
    const expected = parseDeliveryReport(lf);
    expect(parseDeliveryReport(lf.replace(/\n/g, '\r\n'))).toEqual(expected);
    expect(parseDeliveryReport(lf.replace(/\n/g, '\r'))).toEqual(expected);
  });

  it('accepts a string as well as a Buffer', () => {
    const raw = fixture('exim-failed.eml');
    expect(parseDeliveryReport(raw.toString('utf8'))).toEqual(parseDeliveryReport(raw));
  });

  it('reads a base64-encoded delivery-status part', () => {
    expect(parseDeliveryReport(dsn({ statusPart: { encoding: 'base64' } }))?.recipients).toEqual([
      { address: 'bob@example.com', action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 User unknown' },
    ]);
  });

  it('reads an RFC 6533 message/global-delivery-status part', () => {
    const report = parseDeliveryReport(dsn({ statusPart: { type: 'message/global-delivery-status' } }));
    expect(report).toMatchObject({ kind: 'dsn', originalMessageId: NOTICE_ID });
  });

  it('falls back to the X-Original-Message-ID field when the original part is missing', () => {
    const raw = dsn({
      original: null,
      recipients: `X-Original-Message-ID: ${NOTICE_ID}\n\n${BOB_FAILED}`,
    });
    expect(parseDeliveryReport(raw)).toMatchObject({ originalMessageId: NOTICE_ID, reference: null });
  });

  it('falls back to In-Reply-To when a DSN carries no original at all', () => {
    const raw = dsn({ original: null, topHeaders: [`In-Reply-To: ${NOTICE_ID}`] });
    expect(parseDeliveryReport(raw)).toMatchObject({ originalMessageId: NOTICE_ID, kind: 'dsn' });
  });

  it('still returns a DSN that names no original message, without guessing one', () => {
    const report = parseDeliveryReport(dsn({ original: null }));
    expect(report).toMatchObject({ originalMessageId: null, reference: null, kind: 'dsn' });
    expect(report?.recipients).toHaveLength(1);
  });

  it('infers the action from the status when Action is missing or not a known word', () => {
    const recipients = [
      'Final-Recipient: rfc822; a@example.com\nStatus: 5.1.1',
      'Final-Recipient: rfc822; b@example.com\nAction: bounced\nStatus: 4.2.2',
      'Final-Recipient: rfc822; c@example.com\nAction: DELIVERED (to mailbox)\nStatus: 2.0.0',
      'Final-Recipient: rfc822; d@example.com\nAction: whatever',
    ].join('\n\n');
    const report = parseDeliveryReport(dsn({ recipients }));
    expect(report?.recipients.map((r) => [r.address, r.action])).toEqual([
      ['a@example.com', 'failed'],
      ['b@example.com', 'delayed'],
      ['c@example.com', 'delivered'],
    ]);
  });

  it('separates recipient groups that an MTA ran together without a blank line', () => {
    const recipients = `${BOB_FAILED}\nFinal-Recipient: rfc822; eve@example.com\nAction: delayed\nStatus: 4.4.1`;
    const report = parseDeliveryReport(dsn({ recipients }));
    expect(report?.recipients.map((r) => [r.address, r.action, r.status])).toEqual([
      ['bob@example.com', 'failed', '5.1.1'],
      ['eve@example.com', 'delayed', '4.4.1'],
    ]);
  });

  it('strips the address type and angle brackets from Final-Recipient, falling back to Original-Recipient', () => {
    const recipients = [
      'Final-Recipient: RFC822; <bob@example.com>\nAction: failed',
      'Original-Recipient: rfc822;carol@example.org\nAction: failed',
      'Action: failed',
    ].join('\n\n');
    const report = parseDeliveryReport(dsn({ recipients }));
    expect(report?.recipients.map((r) => r.address)).toEqual(['bob@example.com', 'carol@example.org', null]);
  });

  it('reads the human text when the status part is empty, as Google sometimes sends it', () => {
    const raw = dsn({ recipients: '', topHeaders: ['X-Failed-Recipients: bob@example.com'] });
    expect(parseDeliveryReport(raw)).toMatchObject({
      originalMessageId: NOTICE_ID,
      kind: 'heuristic',
      recipients: [{ address: 'bob@example.com', action: 'failed' }],
    });
  });
});

describe('reading a bounce that is not RFC 3464', () => {
  it('reads a qmail failure notice as a heuristic bounce', () => {
    expect(parseDeliveryReport(fixture('qmail-failure-notice.eml'))).toEqual({
      originalMessageId: '<ntc_7t4w1y6a9c3e.inc_7q4k92xmab3c@notices.acme.example>',
      reference: 'K2VM-8QXD-5TRN',
      recipients: [
        {
          address: 'henry@legacy-isp.example',
          action: 'failed',
          status: '5.1.1',
          diagnostic: 'Sorry, no mailbox here by that name. (#5.1.1)',
        },
      ],
      kind: 'heuristic',
    });
  });

  it('reads a plain "Mail Delivery Subsystem" bounce that quotes the original headers with ">"', () => {
    expect(parseDeliveryReport(fixture('plain-mail-delivery-subsystem.eml'))).toEqual({
      originalMessageId: '<ntc_1b4d7f0h3j6l.inc_7q4k92xmab3c@notices.acme.example>',
      reference: 'F7JW-2MCX-8PQE',
      recipients: [
        {
          address: 'ida@example.info',
          action: 'failed',
          status: '5.7.1',
          diagnostic: '(reason: 550 5.7.1 <ida@example.info>... Relaying denied)',
        },
      ],
      kind: 'heuristic',
    });
  });

  it('does not count a bounce-looking message that quotes no original Message-ID', () => {
    const lure = plainBounce(
      ['From: Mail Delivery Subsystem <mailer-daemon@acme-notices.example>', 'Subject: Undelivered Mail'],
      '3 messages are held. Log in to release them: https://acme-notices.example/release',
      'Subject: your messages',
    );
    expect(parseDeliveryReport(lure)).toBeNull();
  });

  it('takes the failed address from X-Failed-Recipients when the MTA declares it', () => {
    const raw = plainBounce(
      [
        'From: postmaster@mx.example.net',
        'X-Failed-Recipients: bob@example.com',
        'Subject: Delivery failure',
      ],
      'Your message to someone-else@example.net could not be delivered: 550 mailbox unavailable',
    );
    expect(parseDeliveryReport(raw)?.recipients).toEqual([
      {
        address: 'bob@example.com',
        action: 'failed',
        status: null,
        diagnostic:
          'Your message to someone-else@example.net could not be delivered: 550 mailbox unavailable',
      },
    ]);
  });

  it('reads a plain-text delay warning as delayed', () => {
    const raw = plainBounce(
      ['From: MAILER-DAEMON@mx.example.net', 'Subject: Warning: message delayed'],
      '<bob@example.com>: 451 4.7.1 try again later. Will keep trying for 5 days.',
    );
    expect(parseDeliveryReport(raw)?.recipients).toMatchObject([
      { address: 'bob@example.com', action: 'delayed', status: '4.7.1' },
    ]);
  });

  it('recognizes a bounce by an RFC 2047 encoded subject', () => {
    const raw = plainBounce(
      [
        'From: Mail Server <server@mx.example.net>',
        'Subject: =?UTF-8?Q?Undelivered_Mail_Returned_to_Sender?=',
      ],
      '<bob@example.com>: 550 5.1.1 unknown user',
    );
    expect(parseDeliveryReport(raw)).toMatchObject({ kind: 'heuristic', originalMessageId: NOTICE_ID });
  });

  it('does not take our own sending address in the bounce text for the failed recipient', () => {
    const raw = plainBounce(
      ['From: MAILER-DAEMON@mx.example.net', 'To: bounces@notices.acme.example', 'Subject: failure notice'],
      'Your message from security@notices.acme.example to <bob@example.com> was rejected: 550 5.1.1 unknown',
    );
    expect(parseDeliveryReport(raw)?.recipients[0]?.address).toBe('bob@example.com');
  });

  it('does not take an IP address in the bounce text for a status code', () => {
    const raw = plainBounce(
      ['From: MAILER-DAEMON@mx.example.net', 'Subject: failure notice'],
      '<bob@example.com>: host [10.2.4.5] refused the message',
    );
    expect(parseDeliveryReport(raw)?.recipients[0]?.status).toBeNull();
  });
});

describe('messages that are not bounces', () => {
  it.each([
    'normal-message.eml',
    'out-of-office.eml',
    'human-reply.eml',
    'forwarded-phish.eml',
    'read-receipt.eml',
  ])('returns null for %s', (name) => {
    expect(parseDeliveryReport(fixture(name))).toBeNull();
  });

  it('does not take an auto-reply for a bounce even from postmaster and quoting the Message-ID', () => {
    const raw = plainBounce(
      [
        'From: postmaster@example.com',
        'Subject: Out of Office: Notice of a data incident',
        'Auto-Submitted: auto-replied',
      ],
      'I am away until Monday.',
    );
    expect(parseDeliveryReport(raw)).toBeNull();
  });

  it('does not take a reply or a forward of a bounce for a bounce', () => {
    for (const subject of [
      'Re: Undelivered Mail Returned to Sender',
      'FW: Undeliverable: notice',
      'AW: failure notice',
    ]) {
      const raw = plainBounce(['From: MAILER-DAEMON@mx.example.net', `Subject: ${subject}`], 'see below');
      expect(parseDeliveryReport(raw), subject).toBeNull();
    }
  });

  it('returns null for empty and header-only input', () => {
    expect(parseDeliveryReport('')).toBeNull();
    expect(parseDeliveryReport(Buffer.alloc(0))).toBeNull();
    expect(parseDeliveryReport('Subject: hello')).toBeNull();
  });
});

describe('hostile input', () => {
  it('strips CR, LF and control characters from every returned field', () => {
    const recipients = [
      'Final-Recipient: rfc822; bob\u0000@example.com\u202e',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 \u001b[31mUser\u0007 unknown\u2028Bcc: eve@example.com\u200b',
    ].join('\n');
    const report = parseDeliveryReport(dsn({ recipients }));
    expectClean(report);
    expect(report?.recipients[0]).toEqual({
      address: 'bob @example.com',
      action: 'failed',
      status: '5.1.1',
      diagnostic: '550 [31mUser unknown Bcc: eve@example.com',
    });
  });

  it('accepts a reference and Message-ID only in their own shapes', () => {
    const original = [
      'Message-ID: <ntc_a b@x> <ntc_ok.inc_ok@notices.acme.example>',
      'X-Breachdesk-Reference: 7Q4K-92XM-AB3C\u0000; Bcc: eve@example.com',
    ].join('\n');
    expect(parseDeliveryReport(dsn({ original }))).toMatchObject({
      originalMessageId: '<ntc_ok.inc_ok@notices.acme.example>',
      reference: null,
    });
  });

  it('keeps the diagnostic to one line of at most 300 characters', () => {
    const long = `Diagnostic-Code: smtp; 550 ${'x'.repeat(200)}\n ${'y'.repeat(200)}\n ${'😀'.repeat(200)}`;
    const report = parseDeliveryReport(dsn({ recipients: `${BOB_FAILED.split('\nDiag')[0]}\n${long}` }));
    const diagnostic = report?.recipients[0]?.diagnostic ?? '';
    expect(diagnostic.length).toBeLessThanOrEqual(300);
    expect(diagnostic).toMatch(/^550 x+ y+$/);
  });

  it('ignores __proto__ and constructor fields and leaves Object.prototype alone', () => {
    const recipients = `__proto__: polluted\nconstructor: x\n${BOB_FAILED}\nprototype: y`;
    const raw = dsn({ recipients, topHeaders: ['__proto__: {"polluted": true}'] });
    const report = parseDeliveryReport(raw);
    expect(report?.recipients).toHaveLength(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('reports at most 100 recipients', () => {
    const recipients = Array.from({ length: 5_000 }, (_, i) => BOB_FAILED.replace('bob', `u${i}`)).join(
      '\n\n',
    );
    expect(parseDeliveryReport(dsn({ recipients }))?.recipients).toHaveLength(100);
  });

  it.each([
    ['a 20 MB body', () => dsn({ recipients: `${BOB_FAILED}\n${'X-Pad: '.padEnd(20_000_000, 'a')}` })],
    ['nesting 10,000 multiparts deep', () => nested(10_000)],
    ['a million boundary lines', () => dsn({ recipients: '--B0UND\n'.repeat(1_000_000) })],
    ['200 KB of "<" in a bounce', () => hostileBounce('<'.repeat(200_000))],
    ['200 KB of "a@" in a bounce', () => hostileBounce('a@'.repeat(100_000))],
    ['200 KB of dots in a bounce', () => hostileBounce(`a@${'.'.repeat(200_000)}x`)],
    ['200 KB of reply codes in a bounce', () => hostileBounce('550 '.repeat(50_000))],
    ['a dashed line of a megabyte', () => hostileBounce('-'.repeat(1_000_000))],
    ['a header folded 100,000 times', () => `Subject: failure notice\n${' x\n'.repeat(100_000)}\n`],
    ['a parameter list of 4,000 semicolons', () => `Content-Type: text/plain${'; '.repeat(4_000)}\n\nx`],
    ['600,000 quoted-printable escapes', () => hostileBounce('=41'.repeat(600_000), 'quoted-printable')],
  ])('returns promptly on %s', (_name, build) => {
    const raw = build();
    const started = performance.now();
    expectClean(parseDeliveryReport(raw));
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('never throws on random text and returns only clean fields', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2_000 }), (text) => {
        expectClean(parseDeliveryReport(text));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2_000 }), (bytes) => {
        expectClean(parseDeliveryReport(Buffer.from(bytes)));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on mangled real bounces and returns only clean fields', () => {
    const samples = [
      'postfix-user-unknown.eml',
      'gmail-address-not-found.eml',
      'm365-recipient-not-found.eml',
      'sendmail-multi-recipient.eml',
      'qmail-failure-notice.eml',
    ].map((name) => fixture(name).toString('utf8'));
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom(
        '\n',
        '\r\n',
        '\r',
        '\n\n',
        '--',
        ':',
        ';',
        '"',
        '=',
        '=\n',
        '\u0000',
        '\u202e',
        '__proto__: 1\n',
        'Content-Type: multipart/report; boundary=x\n\n--x\n',
        'Content-Transfer-Encoding: base64\n',
        'Content-Type: message/delivery-status\n\n',
        'Final-Recipient: rfc822;',
        'Action: failed\n',
        'Status: 5.1.1\n',
        'Message-ID: <',
        '=?utf-8?B?',
      ),
    );
    const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 80 }), insert: piece });
    fc.assert(
      fc.property(fc.nat({ max: samples.length - 1 }), fc.array(edit, { maxLength: 12 }), (index, edits) => {
        let text = samples[index] ?? '';
        for (const { at, remove, insert } of edits) {
          const position = at % (text.length + 1);
          text = text.slice(0, position) + insert + text.slice(position + remove);
        }
        expectClean(parseDeliveryReport(text));
      }),
      { numRuns: 400 },
    );
  });
});

/** A bounce from postmaster whose explanation is `garbage`, then a quoted original. */
function hostileBounce(garbage: string, encoding = '7bit'): string {
  const headers = `Subject: failure notice\nFrom: postmaster@x\nContent-Transfer-Encoding: ${encoding}`;
  return `${headers}\n\n${garbage}\n\n--- Below this line is a copy of the message.\nMessage-ID: <a@b>\n`;
}

function nested(depth: number): string {
  let body = BOB_FAILED;
  for (let level = 0; level < depth; level++) {
    body = `Content-Type: multipart/mixed; boundary="b${level}"\n\n--b${level}\n${body}\n--b${level}--\n`;
  }
  return `Subject: x\n${body}`;
}
