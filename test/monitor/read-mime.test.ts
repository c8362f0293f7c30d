import fc from 'fast-check';
import { simpleParser, type ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { PARSER_OPTIONS, readMail } from '../../src/adapters/mail-reader.js';
import { decodeWords, readMime, type MimeMessage } from '../../src/core/monitor/read-mime.js';

/** What both readers must agree on: what a client shows, the attachments, the subject. */
function comparable(mail: MimeMessage | ParsedMail) {
  const subject =
    'headers' in mail && Array.isArray(mail.headers)
      ? (mail.headers.map((h) => (h.key === 'subject' ? decodeWords(h.value) : null)).find((s) => s) ??
        undefined)
      : (mail as ParsedMail).subject;
  return {
    subject,
    text: mail.text,
    html: mail.html,
    attachments: mail.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content.toString('base64'),
    })),
  };
}

async function bothRead(raw: string | Buffer) {
  const input = typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw;
  const mime = readMime(input);
  const parsed = await simpleParser(input, PARSER_OPTIONS);
  return { mime: mime && comparable(mime), parsed: comparable(parsed) };
}

const HEAD = 'From: Acme <billing@acme.example>\r\nTo: dana@customer.example\r\nSubject: Invoice\r\n';

describe('the one-pass MIME reader', () => {
  it.each([
    [
      'alternative text and HTML in quoted-printable UTF-8',
      `${HEAD}Content-Type: multipart/alternative; boundary="a"\r\n\r\n--a\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9 =\r\nsoft   \r\n--a\r\nContent-Type: text/html; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<a href=3D"https://x.example">x</a>\r\n--a--\r\n`,
    ],
    [
      'text and HTML side by side with a preamble and an epilogue',
      `${HEAD}Content-Type: multipart/mixed; boundary=m\r\n\r\npreamble\r\n--m\r\nContent-Type: text/plain\r\n\r\none\r\n\r\n--m\r\nContent-Type: text/html\r\n\r\n<b>two</b>\r\n--m--\r\nepilogue\r\n`,
    ],
    [
      'attachments in base64, by name and by filename, inline HTML with a filename',
      `${HEAD}Content-Type: multipart/mixed; boundary="m"\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nsee\r\n--m\r\nContent-Type: application/pdf; name="a.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\nJcOkw7w=\r\n--m\r\nContent-Type: text/html; name="p.html"\r\nContent-Disposition: inline; filename="p.html"\r\n\r\n<p>p</p>\r\n--m\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename="=?UTF-8?Q?Rechnung_=C3=BC.txt?="\r\n\r\nnotes\r\n--m--\r\n`,
    ],
    [
      'Latin-1 and Windows-1252 text, encoded words in both charsets',
      `From: a@b.example\r\nSubject: =?iso-8859-1?Q?=80uro_=E9t=E9?= =?utf-8?Q?=C3?= =?UTF8?Q?=A9?=\r\nContent-Type: multipart/alternative; boundary="a"\r\n\r\n--a\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n\x93quoted\x94 \x81\r\n--a\r\nContent-Type: text/html; charset=cp1252\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=80 =E9\r\n--a--\r\n`,
    ],
    ['a text body with LF line ends', 'From: a@b.example\nSubject: lf\n\nline one\nline two\n'],
    [
      'a part with no header and delimiters with trailing blanks',
      `${HEAD}Content-Type: multipart/mixed; boundary="q"\r\n\r\n--q \t\r\n\r\nbare part\r\n--q--  \r\n`,
    ],
    [
      'flowed text with quotes, a signature and delsp',
      `${HEAD}Content-Type: multipart/mixed; boundary="m"\r\n\r\n--m\r\nContent-Type: text/plain; format=flowed\r\n\r\n one \r\ntwo\r\n> quoted \r\n> on\r\n>> deeper \r\n> back\r\n-- \r\nsig\r\n--m\r\nContent-Type: text/plain; format=flowed; delsp=yes\r\n\r\nspl \r\nit\r\n--m--\r\n`,
    ],
  ])('reads %s as mailparser does', async (_what, raw) => {
    const { mime, parsed } = await bothRead(raw);
    expect(mime).not.toBeNull();
    expect(mime).toEqual(parsed);
  });

  it.each([
    [
      'an unclosed multipart',
      `${HEAD}Content-Type: multipart/mixed; boundary="n"\r\n\r\n--n\r\n\r\nopen\r\n`,
    ],
    ['a comment in Content-Type', `${HEAD}Content-Type: text/plain (c); charset=utf-8\r\n\r\nx\r\n`],
    [
      'an RFC 2231 filename',
      `${HEAD}Content-Type: multipart/mixed; boundary="m"\r\n\r\n--m\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename*=utf-8''a%C3%A9.pdf\r\n\r\nx\r\n--m--\r\n`,
    ],
    ['a KOI8-R body', `${HEAD}Content-Type: text/plain; charset=koi8-r\r\n\r\n\xf0\xd2\r\n`],
    ['base64 padded line by line', `${HEAD}Content-Transfer-Encoding: base64\r\n\r\nYQ==\r\nYg==\r\n`],
    [
      'an inner multipart reusing its parent boundary',
      `${HEAD}Content-Type: multipart/mixed; boundary="s"\r\n\r\n--s\r\nContent-Type: multipart/alternative; boundary="s"\r\n\r\n--s\r\n\r\nx\r\n--s--\r\n--s--\r\n`,
    ],
    ['an mbox From line', `From a@b.example Mon Jan  1 00:00:00 2024\r\n${HEAD}\r\nx\r\n`],
  ])('leaves %s to mailparser', (_what, raw) => {
    expect(readMime(Buffer.from(raw, 'latin1'))).toBeNull();
  });

  it('agrees with mailparser on every generated message it reads', async () => {
    let read = 0;
    await fc.assert(
      fc.asyncProperty(messageArbitrary, async (raw) => {
        const { mime, parsed } = await bothRead(raw);
        if (mime === null) return;
        read++;
        expect(mime).toEqual(parsed);
      }),
      { numRuns: 400 },
    );
    // Most generated messages are ordinary; a reader that gave up on all would prove nothing.
    expect(read).toBeGreaterThan(200);
  });
});

const EOL = fc.constantFrom('\r\n', '\n');
const textChunk = fc
  .array(
    fc.constantFrom(
      'word',
      ' ',
      '  ',
      '\t',
      '=',
      '=3D',
      '=C3=A9',
      '=\r\n',
      '-',
      '--',
      '--b0_=',
      'é',
      '\x93',
      '<b>',
      '&amp;',
      '\r\n',
      '\n',
      ' \r\n',
      '> ',
      '>> ',
      '-- ',
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

interface LeafSpec {
  kind: 'leaf';
  type: string | null;
  charset: string | null;
  encoding: '7bit' | '8bit' | 'quoted-printable' | 'base64' | null;
  format: string | null;
  disposition: string | null;
  filename: string | null;
  body: string;
}
interface MultiSpec {
  kind: 'multi';
  subtype: string;
  folded: boolean;
  parts: Spec[];
}
type Spec = LeafSpec | MultiSpec;

const leafArbitrary: fc.Arbitrary<LeafSpec> = fc.record({
  kind: fc.constant('leaf' as const),
  type: fc.constantFrom(
    null,
    'text/plain',
    'TEXT/HTML',
    'text/html',
    'application/pdf',
    'image/png',
    'text/calendar',
  ),
  charset: fc.constantFrom(null, 'utf-8', 'UTF-8', 'us-ascii', 'iso-8859-1', 'windows-1252'),
  encoding: fc.constantFrom(null, '7bit', '8bit', 'quoted-printable', 'base64'),
  format: fc.constantFrom(null, null, 'flowed', 'flowed; delsp=yes', 'Flowed; DelSp=Yes'),
  disposition: fc.constantFrom(null, 'inline', 'attachment', 'odd'),
  filename: fc.constantFrom(null, 'a.pdf', 'invoice 2.html', '=?UTF-8?Q?r=C3=A9sum=C3=A9.doc?='),
  body: textChunk,
});

const { spec: specArbitrary } = fc.letrec<{ spec: Spec }>((tie) => ({
  spec: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArbitrary,
    fc.record({
      kind: fc.constant('multi' as const),
      subtype: fc.constantFrom('mixed', 'alternative', 'Alternative', 'related'),
      folded: fc.boolean(),
      parts: fc.array(tie('spec'), { minLength: 1, maxLength: 4 }),
    }),
  ),
}));

const messageArbitrary = fc
  .record({
    spec: specArbitrary,
    eol: EOL,
    subject: fc.constantFrom('Plain', '=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?=', '=?iso-8859-1?Q?=E9?=', ''),
  })
  .map(({ spec, eol, subject }) => {
    let boundaries = 0;
    const render = (node: Spec): string => {
      if (node.kind === 'multi') {
        const boundary = `b${boundaries++}_=`;
        return [
          `Content-Type: multipart/${node.subtype};${node.folded ? `${eol}\t` : ' '}boundary="${boundary}"`,
          '',
          ...node.parts.flatMap((part) => [`--${boundary}`, render(part)]),
          `--${boundary}--`,
          '',
        ].join(eol);
      }
      const params = [
        node.charset ? `charset=${node.charset}` : '',
        node.format ? `format=${node.format}` : '',
        node.filename ? `name="${node.filename}"` : '',
      ]
        .filter(Boolean)
        .map((p) => `; ${p}`)
        .join('');
      const headers = node.type ? [`Content-Type: ${node.type}${params}`] : [];
      if (node.encoding) headers.push(`Content-Transfer-Encoding: ${node.encoding}`);
      if (node.disposition) {
        headers.push(
          `Content-Disposition: ${node.disposition}${node.filename ? `; filename="${node.filename}"` : ''}`,
        );
      }
      const body =
        node.encoding === 'base64'
          ? (Buffer.from(node.body, 'latin1')
              .toString('base64')
              .match(/.{1,76}/g)
              ?.join(eol) ?? '')
          : node.body;
      return [...headers, '', body].join(eol);
    };
    return `From: a@b.example${eol}Subject: ${subject}${eol}${render(spec)}`;
  });

describe('the facts read from ordinary mail', () => {
  /** The same message with a comment in its Content-Type: mailparser drops it, the one-pass reader hands over. */
  function forMailparser(raw: string): Buffer {
    const forced = raw.replace(/^(Content-Type:[^\r\n]*)/im, '$1 (via mailparser)');
    expect(readMime(Buffer.from(forced, 'latin1'))).toBeNull();
    return Buffer.from(forced, 'latin1');
  }

  const headerSets = fc
    .record({
      returnPath: fc.constantFrom(null, '<>', '<Bounce@Acme.example>', 'undisclosed:;'),
      from: fc.array(
        fc.constantFrom(
          '',
          'a@b.example',
          '"Acme, Inc." <billing@acme.example>',
          '=?UTF-8?Q?Acm=C3=A9?= <x@y.example>',
          'Zoë <z@y.example>',
        ),
        { maxLength: 2 },
      ),
      to: fc.array(
        fc.constantFrom(
          'dana@c.example',
          'Team: a@x.example, "B" <b@x.example>;',
          'undisclosed-recipients:;',
          '<c@d.example>, e@f.example',
        ),
        { maxLength: 3 },
      ),
      cc: fc.array(fc.constantFrom('c@y.example', '=?utf-8?B?U3VwcG9ydA==?= <help@y.example>'), {
        maxLength: 2,
      }),
      replyTo: fc.constantFrom(null, '', 'help@evil.example', '=?iso-8859-1?Q?Caf=E9?= <cafe@x.example>'),
      subject: fc.array(fc.constantFrom('', 'Invoice', '=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?=', 'Fïnal nötice'), {
        maxLength: 2,
      }),
    })
    .map(({ returnPath, from, to, cc, replyTo, subject }) =>
      [
        returnPath === null ? null : `Return-Path: ${returnPath}`,
        ...from.map((v) => `From: ${v}`),
        ...to.map((v) => `To: ${v}`),
        ...cc.map((v) => `Cc: ${v}`),
        replyTo === null ? null : `Reply-To: ${replyTo}`,
        ...subject.map((v) => `Subject: ${v}`),
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Body https://x.example/a',
        '',
      ]
        .filter((line) => line !== null)
        .join('\r\n'),
    );

  it('are those read through mailparser: addresses, return path, subject, text', async () => {
    await fc.assert(
      fc.asyncProperty(headerSets, async (raw) => {
        const bytes = Buffer.from(raw, 'utf8').toString('latin1');
        expect(await readMail(Buffer.from(bytes, 'latin1'))).toEqual(await readMail(forMailparser(bytes)));
      }),
      { numRuns: 150 },
    );
  });
});
