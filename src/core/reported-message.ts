import { isPlausibleAddress, normalizeEmail } from './identity.js';

/** How a reported message reached us, which decides what is judged and whom it was addressed to. */
export type ReportForm = 'attached' | 'inline' | 'direct';

export interface ReportedMessage {
  form: ReportForm;
  /** The bytes to judge: the attached original of a forward, else the message as received. */
  judged: Buffer;
  /** Normalized addresses the judged message was addressed to, at most 100. */
  recipients: string[];
  addressedBy: 'original' | 'inline' | 'reporter' | 'envelope' | 'none';
  /** Lower-case domain of the judged message's sender, when it has one. */
  fromDomain: string | null;
  /** The judged message's subject, decoded; it can hold leaked data, so it is sealed when stored. */
  subject: string | null;
  /** The received message's header section, as text. */
  headers: string;
}

interface Header {
  name: string;
  value: string;
}

/** Text here is latin1: one character per byte, so a slice turns back into the exact bytes. */
interface Entity {
  headers: Header[];
  headerText: string;
  body: string;
}

// The message is written by whoever sent it: every loop and every string has a bound.
const MAX_PARTS = 64;
const MAX_DEPTH = 5;
const MAX_HEADERS = 300;
const MAX_HEADER_CHARS = 8 * 1024;
const MAX_TEXT_CHARS = 256 * 1024;
const MAX_RECIPIENTS = 100;
const MAX_SUBJECT = 500;

const ORIGINAL_TYPES: ReadonlySet<string> = new Set(['message/rfc822', 'message/global']);
const HEADER_NAME = /^[a-z0-9-]{1,76}$/;
// Gmail, Outlook, Thunderbird, Apple Mail, and their German and French forms.
const FORWARD_MARKER =
  /^[ \t>]*(?:-{2,}[ \t]*(?:forwarded message|original message|weitergeleitete nachricht|ursprüngliche nachricht|message transféré|message d'origine|message original)[ \t]*-{2,}|begin forwarded message:|anfang der weitergeleiteten nachricht:)[ \t]*$/im;
const QUOTED_FIELD = /^[ \t>]*\*?([A-Za-zÀ-ÿ-]{1,20})\*?[ \t]*:[ \t]*(.*)$/;
const TO_FIELDS: ReadonlySet<string> = new Set(['to', 'an', 'à', 'a', 'para', 'cc', 'kopie']);
const FROM_FIELDS: ReadonlySet<string> = new Set(['from', 'von', 'de']);
const SUBJECT_FIELDS: ReadonlySet<string> = new Set(['subject', 'betreff', 'objet', 'asunto']);
const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

/**
 * Reads a message that arrived at the reporting address. A forward carrying the original as an
 * attachment (message/rfc822) is judged by that original and addressed to its Delivered-To,
 * X-Original-To, else To and Cc; an inline forward ("Forwarded message" block) to the quoted To
 * and Cc; a forward whose original names nobody, to the reporter (the forwarder's From). A
 * message that is no forward was sent straight here: its envelope recipients. Never throws.
 */
export function readReportedMessage(raw: Buffer, envelopeRecipients: readonly string[]): ReportedMessage {
  const message = splitEntity(raw.toString('latin1'));
  const headers = message.headerText;
  const reporter = addressesIn(field(message.headers, 'from') ?? '')[0];
  const byReporter = reporter === undefined ? [] : [reporter];
  const attached = findAttachedOriginal(message);
  if (attached) {
    const original = splitEntity(attached.toString('latin1'));
    const delivered = firstAddressField(original.headers, ['delivered-to', 'x-original-to']);
    const recipients =
      delivered.length > 0
        ? delivered
        : addressesIn([field(original.headers, 'to'), field(original.headers, 'cc')].join(','));
    return {
      form: 'attached',
      judged: attached,
      ...addressed(recipients, 'original', byReporter),
      fromDomain: domainOf(addressesIn(field(original.headers, 'from') ?? '')[0]),
      subject: subjectOf(field(original.headers, 'subject')),
      headers,
    };
  }
  const inline = findInlineForward(message);
  if (inline) {
    return {
      form: 'inline',
      judged: raw,
      ...addressed(inline.recipients, 'inline', byReporter),
      fromDomain: domainOf(inline.from),
      subject: subjectOf(inline.subject ?? field(message.headers, 'subject')),
      headers,
    };
  }
  const envelope = envelopeRecipients.map(normalizeEmail).filter(isPlausibleAddress);
  return {
    form: 'direct',
    judged: raw,
    ...addressed(envelope, 'envelope', []),
    fromDomain: domainOf(reporter),
    subject: subjectOf(field(message.headers, 'subject')),
    headers,
  };
}

function addressed(
  found: readonly string[],
  how: 'original' | 'inline' | 'envelope',
  reporter: readonly string[],
): Pick<ReportedMessage, 'recipients' | 'addressedBy'> {
  const unique = [...new Set(found)].slice(0, MAX_RECIPIENTS);
  if (unique.length > 0) return { recipients: unique, addressedBy: how };
  if (reporter.length > 0) return { recipients: [...reporter], addressedBy: 'reporter' };
  return { recipients: [], addressedBy: 'none' };
}

// ——— the message and its parts ———

function splitEntity(text: string): Entity {
  const crlf = text.indexOf('\r\n\r\n');
  const lf = text.indexOf('\n\n');
  const startsBlank = text.startsWith('\n') || text.startsWith('\r\n');
  let end: number;
  let bodyStart: number;
  if (startsBlank) {
    end = 0;
    bodyStart = text.startsWith('\r\n') ? 2 : 1;
  } else if (crlf >= 0 && (lf < 0 || crlf < lf)) {
    end = crlf;
    bodyStart = crlf + 4;
  } else if (lf >= 0) {
    end = lf;
    bodyStart = lf + 2;
  } else {
    end = text.length;
    bodyStart = text.length;
  }
  const headerText = text.slice(0, end);
  return { headers: parseHeaderLines(headerText), headerText, body: text.slice(bodyStart) };
}

function parseHeaderLines(text: string): Header[] {
  const headers: Header[] = [];
  for (const line of text.split(/\r?\n/)) {
    const last = headers[headers.length - 1];
    if (last && (line.startsWith(' ') || line.startsWith('\t'))) {
      if (last.value.length < MAX_HEADER_CHARS) last.value = `${last.value} ${line.trim()}`.trim();
      continue;
    }
    if (headers.length >= MAX_HEADERS) break;
    const colon = line.indexOf(':');
    if (colon < 1) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!HEADER_NAME.test(name)) continue;
    headers.push({ name, value: line.slice(colon + 1, colon + 1 + MAX_HEADER_CHARS).trim() });
  }
  return headers;
}

function field(headers: readonly Header[], name: string): string | undefined {
  return headers.find((header) => header.name === name)?.value;
}

function firstAddressField(headers: readonly Header[], names: readonly string[]): string[] {
  for (const name of names) {
    const found = addressesIn(field(headers, name) ?? '');
    if (found.length > 0) return found.slice(0, 1);
  }
  return [];
}

function contentType(entity: Entity): { type: string; params: Map<string, string> } {
  const value = field(entity.headers, 'content-type');
  const params = new Map<string, string>();
  if (value === undefined) return { type: 'text/plain', params };
  const semicolon = value.indexOf(';');
  const type = (semicolon < 0 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  if (semicolon >= 0) {
    const param = /;\s*([A-Za-z0-9._*-]{1,64})\s*=\s*(?:"((?:[^"\\]|\\.){0,1000})"|([^;\s"]{1,1000}))/g;
    for (const match of value.slice(semicolon).matchAll(param)) {
      const name = (match[1] ?? '').toLowerCase();
      if (!params.has(name)) params.set(name, match[2]?.replace(/\\(.)/g, '$1') ?? match[3] ?? '');
    }
  }
  return { type: type.includes('/') ? type : 'text/plain', params };
}

/** Depth-first, bounded: the leaves of the MIME tree, in order. */
function leavesOf(message: Entity): Entity[] {
  const leaves: Entity[] = [];
  const budget = { remaining: MAX_PARTS };
  const visit = (entity: Entity, depth: number): void => {
    if (budget.remaining-- <= 0) return;
    const { type, params } = contentType(entity);
    if (!type.startsWith('multipart/')) return void leaves.push(entity);
    const boundary = params.get('boundary');
    if (depth >= MAX_DEPTH || !boundary || boundary.length > 200) return;
    for (const child of childrenOf(entity.body, boundary)) visit(splitEntity(child), depth + 1);
  };
  visit(message, 0);
  return leaves;
}

/** Splits a multipart body on its delimiter lines without touching the parts' own bytes. */
function childrenOf(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const children: string[] = [];
  let start = -1;
  let position = 0;
  while (children.length < MAX_PARTS) {
    const at = body.indexOf(delimiter, position);
    if (at < 0) break;
    if (at > 0 && body[at - 1] !== '\n') {
      position = at + 1;
      continue;
    }
    const lineEnd = body.indexOf('\n', at);
    const rest = body.slice(at + delimiter.length, lineEnd < 0 ? body.length : lineEnd);
    const closing = rest.startsWith('--');
    if (!closing && rest.trim() !== '') {
      position = at + 1;
      continue;
    }
    if (start >= 0) {
      // The line break before a delimiter belongs to the delimiter (RFC 2046).
      const end = body[at - 2] === '\r' ? at - 2 : at - 1;
      children.push(body.slice(start, Math.max(start, end)));
    }
    if (closing) return children;
    start = lineEnd < 0 ? body.length : lineEnd + 1;
    position = start;
  }
  if (start >= 0 && start < body.length && children.length < MAX_PARTS) children.push(body.slice(start));
  return children;
}

function decodedBytes(entity: Entity): Buffer {
  const encoding = (field(entity.headers, 'content-transfer-encoding') ?? '').trim().toLowerCase();
  if (encoding === 'base64') return Buffer.from(entity.body.replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(entity.body.replace(/=[ \t]*\r?\n/g, ''));
  return Buffer.from(entity.body, 'latin1');
}

function decodeQuotedPrintable(text: string): Buffer {
  const bytes = Buffer.alloc(text.length);
  let length = 0;
  for (let index = 0; index < text.length; index++) {
    const hex = text[index] === '=' ? text.slice(index + 1, index + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes[length++] = parseInt(hex, 16);
      index += 2;
    } else bytes[length++] = text.charCodeAt(index) & 0xff;
  }
  return bytes.subarray(0, length);
}

function decodeText(bytes: Uint8Array, charset: string | undefined): string {
  try {
    return new TextDecoder(charset?.trim() || 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder().decode(bytes);
  }
}

// ——— forwards ———

function findAttachedOriginal(message: Entity): Buffer | null {
  for (const leaf of leavesOf(message)) {
    if (leaf === message) return null;
    const { type, params } = contentType(leaf);
    const name =
      params.get('name') ??
      /filename="?([^";]*)/i.exec(field(leaf.headers, 'content-disposition') ?? '')?.[1];
    const emlFile = type === 'application/octet-stream' && /\.eml$/i.test(name ?? '');
    if (!ORIGINAL_TYPES.has(type) && !emlFile) continue;
    const bytes = decodedBytes(leaf);
    // A blank leading line is the part's own header end; the original starts after it.
    const original = bytes.subarray(bytes[0] === 0x0d && bytes[1] === 0x0a ? 2 : bytes[0] === 0x0a ? 1 : 0);
    if (original.length > 0) return original;
  }
  return null;
}

interface InlineForward {
  recipients: string[];
  from: string | undefined;
  subject: string | undefined;
}

function findInlineForward(message: Entity): InlineForward | null {
  const text = readableText(message);
  const marker = FORWARD_MARKER.exec(text);
  if (!marker) return null;
  const lines = text.slice(marker.index + marker[0].length).split(/\r?\n/, 40);
  const found: InlineForward = { recipients: [], from: undefined, subject: undefined };
  let seenField = false;
  for (const line of lines) {
    const match = QUOTED_FIELD.exec(line);
    if (!match) {
      if (seenField && line.replace(/^[ \t>]*/, '') === '') break;
      continue;
    }
    seenField = true;
    const name = (match[1] ?? '').toLowerCase();
    const value = match[2] ?? '';
    if (TO_FIELDS.has(name)) found.recipients.push(...addressesIn(value));
    else if (FROM_FIELDS.has(name)) found.from ??= addressesIn(value)[0];
    else if (SUBJECT_FIELDS.has(name)) found.subject ??= value;
  }
  return found;
}

/** The first text/plain part decoded, else the first text/html part with its tags removed. */
function readableText(message: Entity): string {
  const leaves = leavesOf(message);
  const textOf = (leaf: Entity) =>
    decodeText(decodedBytes(leaf).subarray(0, MAX_TEXT_CHARS), contentType(leaf).params.get('charset'));
  const plain = leaves.find((leaf) => contentType(leaf).type === 'text/plain');
  if (plain) return textOf(plain);
  const html = leaves.find((leaf) => contentType(leaf).type === 'text/html');
  if (!html) return '';
  return textOf(html)
    .replace(/<br\s*\/?>|<\/(p|div|tr)>/gi, '\n')
    .replace(/<[^>]{0,1000}>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');
}

// ——— addresses and subjects ———

/** Addresses of a header value: those in angle brackets, else bare ones; display names and comments are dropped. */
function addressesIn(value: string): string[] {
  const addresses: string[] = [];
  const withoutNames = value.replace(/"(?:[^"\\]|\\.){0,1000}"/g, ' ').replace(/\([^()]{0,1000}\)/g, ' ');
  for (const segment of withoutNames.split(/[,;]/)) {
    const angled = /<([^<>]{1,320})>/.exec(segment);
    const candidates = angled ? [angled[1] ?? ''] : segment.split(/[\s<>:]+/);
    for (const candidate of candidates) {
      const address = normalizeEmail(candidate.replace(/^mailto:/i, ''));
      if (isPlausibleAddress(address)) addresses.push(address);
      if (addresses.length >= MAX_RECIPIENTS) return addresses;
    }
  }
  return addresses;
}

function domainOf(address: string | undefined): string | null {
  if (address === undefined) return null;
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

function subjectOf(value: string | undefined): string | null {
  if (value === undefined) return null;
  const decoded = decodeEncodedWords(value).replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  return decoded === '' ? null : decoded.slice(0, MAX_SUBJECT);
}

function decodeEncodedWords(latin1: string): string {
  // Unencoded 8-bit header text is most likely UTF-8; latin1 read it one byte a character.
  const value = /[\u0080-\u00ff]/.test(latin1) ? decodeText(Buffer.from(latin1, 'latin1'), 'utf-8') : latin1;
  const words = value.replace(/(=\?[^?\s]{1,40}\?[BbQq]\?[^?\s]{0,1000}\?=)\s+(?==\?)/g, '$1');
  return words.replace(
    /=\?([^?\s]{1,40})\?([BbQq])\?([^?\s]{0,1000})\?=/g,
    (_whole, charset: string, encoding: string, text: string) => {
      const bytes =
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : decodeQuotedPrintable(text.replace(/_/g, ' '));
      return decodeText(bytes, charset.split('*')[0]);
    },
  );
}
