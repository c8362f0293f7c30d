import { headerSafe } from './escape.js';

/** What a notice's message says: plain strings, dataset values among them. */
export interface MimeFields {
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
}

/** A composed message: header fields as written (encoded, folded) and the body, ASCII with CRLF. */
export interface MimeMessage {
  headers: readonly (readonly [name: string, value: string])[];
  body: string;
}

// Dot-atom addresses only; anything else (quoted local parts, Unicode) goes to the general composer.
const PLAIN_ADDRESS =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*$/;
const HEADER_NAME = /^[!-9;-~]+$/;
const ATOM_PHRASE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]*$/;
const PRINTABLE_ASCII = /^[ -~]*$/;
// Characters a quoted-printable line carries as they are ('=' excepted); other bytes become =XX.
const QP_LITERAL = /^[ -<>-~\t]*$/;
const MAX_LINE = 78;

/**
 * A multipart/alternative message (text and HTML, quoted-printable, UTF-8) with the given Date and
 * MIME boundary; null when an address is not a plain ASCII dot-atom, which this composer leaves to
 * a general one. Header values lose control characters, so no dataset value can add a header.
 */
export function composeMime(
  fields: MimeFields,
  { date, boundary }: { date: Date; boundary: string },
): MimeMessage | null {
  if (!PLAIN_ADDRESS.test(fields.from.address) || !PLAIN_ADDRESS.test(fields.to)) return null;
  if (!Object.keys(fields.headers).every((name) => HEADER_NAME.test(name))) return null;
  const headers: [string, string][] = [
    ['From', mailbox(fields.from.name, fields.from.address)],
    ['To', fields.to],
    ['Subject', unstructured('Subject', fields.subject)],
    ['Date', rfc5322Date(date)],
    ['Message-ID', headerSafe(fields.messageId)],
    ...Object.entries(fields.headers).map(([name, value]): [string, string] => [
      name,
      unstructured(name, value),
    ]),
    ['MIME-Version', '1.0'],
    ['Content-Type', `multipart/alternative; boundary="${boundary}"`],
  ];
  const part = (type: string, content: string) =>
    `--${boundary}\r\nContent-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${quotedPrintable(content)}\r\n`;
  return {
    headers,
    body: `${part('text/plain', fields.text)}${part('text/html', fields.html)}--${boundary}--\r\n`,
  };
}

/** The message as it goes over SMTP, after any fields written before its own (a DKIM-Signature). */
export function mimeText(message: MimeMessage, before = ''): string {
  let head = before;
  for (const [name, value] of message.headers) head += `${name}: ${value}\r\n`;
  return `${head}\r\n${message.body}`;
}

function mailbox(name: string, address: string): string {
  const display = headerSafe(name);
  if (display === '') return address;
  if (ATOM_PHRASE.test(display)) return `${display} <${address}>`;
  if (PRINTABLE_ASCII.test(display)) return `"${display.replace(/["\\]/g, '\\$&')}" <${address}>`;
  return `${encodedWords(display).join('\r\n ')} <${address}>`;
}

/** An unstructured value (Subject, X-…): ASCII folded at spaces, anything else as encoded words. */
function unstructured(name: string, value: string): string {
  const text = headerSafe(value);
  if (!PRINTABLE_ASCII.test(text)) return encodedWords(text).join('\r\n ');
  const lines: string[] = [];
  let line = '';
  let room = MAX_LINE - name.length - 2;
  for (const word of text.split(/(?= )/)) {
    if (line !== '' && line.length + word.length > room) {
      lines.push(line);
      line = '';
      room = MAX_LINE;
    }
    line += word;
  }
  lines.push(line);
  // A word too long for any line (over 998 octets) is carried as encoded words instead.
  return lines.some((l) => l.length > 900) ? encodedWords(text).join('\r\n ') : lines.join('\r\n');
}

/** RFC 2047 B-encoded words, one a line, never splitting a character. */
function encodedWords(text: string): string[] {
  const words: string[] = [];
  // 42 bytes make 56 base64 characters: a word of 68, and `Subject: ` with it stays within 78.
  const maxBytes = 42;
  let chunk = '';
  let bytes = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > maxBytes) {
      words.push(encodedWord(chunk));
      chunk = '';
      bytes = 0;
    }
    chunk += char;
    bytes += size;
  }
  if (chunk !== '' || words.length === 0) words.push(encodedWord(chunk));
  return words;
}

function encodedWord(text: string): string {
  return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function rfc5322Date(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

/** Quoted-printable (RFC 2045) of UTF-8 text: CRLF line breaks, lines of at most 76 characters. */
export function quotedPrintable(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(quotedPrintableLine)
    .join('\r\n');
}

function quotedPrintableLine(line: string): string {
  let encoded = QP_LITERAL.test(line) ? line : encodeBytes(line);
  // Whitespace at the end of a line is not data to a reader of the message: it is encoded.
  const last = encoded.charCodeAt(encoded.length - 1);
  if (last === 0x20 || last === 0x09) encoded = `${encoded.slice(0, -1)}=${last === 0x20 ? '20' : '09'}`;
  if (encoded.length <= 76) return encoded;
  const lines: string[] = [];
  let start = 0;
  while (encoded.length - start > 76) {
    let end = start + 75;
    // Never cut inside an =XX escape.
    if (encoded[end - 1] === '=') end -= 1;
    else if (encoded[end - 2] === '=') end -= 2;
    lines.push(`${encoded.slice(start, end)}=`);
    start = end;
  }
  lines.push(encoded.slice(start));
  return lines.join('\r\n');
}

const HEX = '0123456789ABCDEF';

function encodeBytes(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  let out = '';
  let run = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if ((byte >= 0x20 && byte <= 0x7e && byte !== 0x3d) || byte === 0x09) continue;
    out += bytes.toString('latin1', run, i) + '=' + HEX[byte >> 4]! + HEX[byte & 15]!;
    run = i + 1;
  }
  return out + bytes.toString('latin1', run);
}
