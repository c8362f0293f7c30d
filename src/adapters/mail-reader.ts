import type { AddressObject, ParsedMail } from 'mailparser';
import addressparser from 'nodemailer/lib/addressparser';
import { toAscii } from '../core/domain-lookalike.js';
import { UserError } from '../core/errors.js';
import type {
  MailAddress,
  MailAnomaly,
  MailAttachment,
  MailFacts,
  MailLink,
} from '../core/monitor/mail-facts.js';
import { decodeWords, readMime, type MimeMessage } from '../core/monitor/read-mime.js';
import { hasVbaProject, isZip, listZip } from '../core/monitor/zip-listing.js';

/** Work per message is bounded: a hostile message costs at most this much, then is judged as read. */
export const MAIL_LIMITS = {
  headerBytes: 256 * 1024,
  textChars: 256 * 1024,
  htmlChars: 1024 * 1024,
  links: 200,
  attachments: 50,
  addresses: 50,
} as const;

/** mailparser options shared with the benchmark's parse floor, so both do the same parsing. */
export const PARSER_OPTIONS = {
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipImageLinks: true,
  skipTextLinks: true,
} as const;

export type MailContent = Omit<MailFacts, 'auth'>;

const HEADER_LINE = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;
const VBA_OLE_MARKER = Buffer.from('_VBA_PROJECT', 'utf16le');

/** What the facts are built from, whichever parser read the message. */
interface ReadMessage {
  from: AddressEntry[];
  replyTo: AddressEntry[];
  /** Every To header, every Cc header. */
  to: AddressEntry[];
  cc: AddressEntry[];
  returnPath: string | null;
  subject: string;
  text: string;
  html: string;
  attachments: { filename?: string | undefined; contentType: string; content: Buffer }[];
}

interface AddressEntry {
  name?: string;
  address?: string | undefined;
  group?: AddressEntry[] | undefined;
}

/**
 * Reads a raw RFC 5322 message into the facts the monitor judges: ordinary mail with the
 * one-pass reader, anything it leaves (unusual or hostile structure) with mailparser, which
 * both read alike.
 */
export async function readMail(raw: Buffer): Promise<MailContent> {
  const anomalies: MailAnomaly[] = [];
  const input = capHeaders(raw, anomalies);
  const firstLine = input.subarray(0, Math.min(input.length, 1000)).toString('latin1');
  if (!HEADER_LINE.test(firstLine)) {
    throw new UserError('not an RFC 5322 message: it does not start with a header field');
  }
  const mime = readMime(input);
  const read = (mime && fromMime(mime)) ?? fromMailparser(await parseWithMailparser(input));
  const from = addresses(read.from, anomalies);
  const html = read.html.slice(0, MAIL_LIMITS.htmlChars);
  // The HTML is what a mail client shows, and it may differ from the text part; judge what is seen.
  let text = html ? htmlToText(html) : read.text;
  if (text.length > MAIL_LIMITS.textChars) {
    text = text.slice(0, MAIL_LIMITS.textChars);
    anomalies.push('body_truncated');
  }
  if (text.includes('\uFFFD')) anomalies.push('invalid_encoding');
  const links = extractLinks(html, read.text);
  if (links.length >= MAIL_LIMITS.links) anomalies.push('links_truncated');
  if (read.attachments.length > MAIL_LIMITS.attachments) anomalies.push('attachments_truncated');
  if (from.length === 0) anomalies.push('no_from');
  return {
    from: from[0] ?? null,
    fromCount: from.length,
    replyTo: addresses(read.replyTo, anomalies),
    returnPath: read.returnPath,
    to: [...addresses(read.to, anomalies), ...addresses(read.cc, anomalies)].map((a) => a.address),
    subject: read.subject,
    text,
    links,
    attachments: read.attachments.slice(0, MAIL_LIMITS.attachments).map(describeAttachment),
    anomalies,
  };
}

function fromMailparser(parsed: ParsedMail): ReadMessage {
  const entries = (header: AddressObject | AddressObject[] | undefined): AddressEntry[] =>
    header ? (Array.isArray(header) ? header : [header]).flatMap((object) => object.value) : [];
  return {
    from: entries(parsed.from),
    replyTo: entries(parsed.replyTo),
    to: entries(parsed.to),
    cc: entries(parsed.cc),
    returnPath: returnPath(parsed),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    attachments: parsed.attachments,
  };
}

/**
 * The headers as mailparser decodes them: the first From, Reply-To and non-empty Subject, every
 * To, Cc and Return-Path. Null when an address needs decoding the one-pass reader leaves to
 * mailparser (an encoded word in the address, an IDN domain, a charset other than UTF-8).
 */
function fromMime(mime: MimeMessage): ReadMessage | null {
  const lists = new Map<string, AddressEntry[][]>();
  let subject: string | undefined;
  for (const { key, value } of mime.headers) {
    if (key === 'subject' && subject === undefined) {
      const decoded = decodeWords(value);
      if (decoded === null) return null;
      if (decoded) subject = decoded;
    } else if (ADDRESS_HEADERS.has(key)) {
      const list = decodedAddresses(addressparser(value));
      if (!list) return null;
      lists.set(key, [...(lists.get(key) ?? []), list]);
    }
  }
  const first = (key: string) => lists.get(key)?.[0] ?? [];
  const all = (key: string) => (lists.get(key) ?? []).flat();
  // As mailparser gives it: `Return-Path: <>` (a bounce) is the empty string, not null.
  const envelope = first('return-path')[0]?.address?.toLowerCase() ?? null;
  return {
    from: first('from'),
    replyTo: first('reply-to'),
    to: all('to'),
    cc: all('cc'),
    returnPath: envelope,
    subject: subject ?? '',
    text: mime.text ?? '',
    html: mime.html || '',
    attachments: mime.attachments,
  };
}

const ADDRESS_HEADERS = new Set(['from', 'reply-to', 'to', 'cc', 'return-path']);
const ENCODED_WORD = /=\?[^?]+\?[BbQq]\?[^?]*\?=/;

function decodedAddresses(entries: AddressEntry[]): AddressEntry[] | null {
  const decoded: AddressEntry[] = [];
  for (const entry of entries) {
    const name = decodeWords((entry.name ?? '').trim());
    if (name === null) return null;
    if (entry.address && (ENCODED_WORD.test(entry.address) || /@xn--/.test(entry.address))) return null;
    const group = entry.group ? decodedAddresses(entry.group) : undefined;
    if (group === null) return null;
    decoded.push({ name, address: entry.address, group });
  }
  return decoded;
}

/** Keeps at most `headerBytes` of header section, cut at a line end, and the body after it. */
function capHeaders(raw: Buffer, anomalies: MailAnomaly[]): Buffer {
  const end = headerEnd(raw);
  if (end >= 0 ? end <= MAIL_LIMITS.headerBytes : raw.length <= MAIL_LIMITS.headerBytes) return raw;
  anomalies.push('headers_truncated');
  const cut = raw.lastIndexOf(0x0a, MAIL_LIMITS.headerBytes);
  const body = end >= 0 ? raw.subarray(end) : Buffer.from('\r\n\r\n');
  return Buffer.concat([raw.subarray(0, cut > 0 ? cut : MAIL_LIMITS.headerBytes), body]);
}

function headerEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf < 0) return lf;
  return lf < 0 ? crlf : Math.min(crlf, lf);
}

function addresses(entries: AddressEntry[], anomalies: MailAnomaly[]): MailAddress[] {
  const list: MailAddress[] = [];
  const visit = (entry: AddressEntry) => {
    if (list.length >= MAIL_LIMITS.addresses) return;
    if (entry.group) entry.group.forEach(visit);
    else if (entry.address && entry.address.includes('@')) {
      const address = entry.address.trim();
      list.push({
        name: entry.name ?? '',
        address,
        domain: toAscii(address.slice(address.lastIndexOf('@') + 1)),
      });
    }
  };
  entries.forEach(visit);
  if (list.length >= MAIL_LIMITS.addresses && !anomalies.includes('headers_truncated'))
    anomalies.push('headers_truncated');
  return list;
}

function returnPath(parsed: ParsedMail): string | null {
  const value = parsed.headers.get('return-path');
  const first = Array.isArray(value) ? value[0] : value;
  if (!first) return null;
  if (typeof first === 'string') return /<?([^<>\s]*@[^<>\s]+)>?/.exec(first)?.[1]?.toLowerCase() ?? null;
  if (typeof first === 'object' && 'value' in first && Array.isArray(first.value)) {
    return first.value[0]?.address?.toLowerCase() ?? null;
  }
  return null;
}

function describeAttachment(attachment: ReadMessage['attachments'][number]): MailAttachment {
  const content = attachment.content;
  const filename = (attachment.filename ?? '').slice(0, 255);
  const described: MailAttachment = {
    filename,
    contentType: attachment.contentType,
    size: content.length,
    entries: [],
    archive: 'none',
    macros: false,
  };
  if (isZip(content)) {
    const listing = listZip(content);
    described.entries = listing.entries;
    described.archive = listing.status;
    described.macros = hasVbaProject(listing);
  } else if (/\.(doc|xls|ppt|dot|xlt)$/i.test(filename)) {
    described.macros = content.subarray(0, 4 * 1024 * 1024).includes(VBA_OLE_MARKER);
  }
  return described;
}

const ANCHOR = /<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>([\s\S]{0,2000}?)<\/a\s*>/gi;
const BARE_URL = /\b(?:https?:\/\/|data:)[^\s<>"')\]]+/gi;

function extractLinks(html: string, text: string): MailLink[] {
  const links: MailLink[] = [];
  const seen = new Set<string>();
  const add = (href: string, shownText: string) => {
    const key = `${href}\u0000${shownText}`;
    if (links.length >= MAIL_LIMITS.links || seen.has(key)) return;
    seen.add(key);
    links.push({ href: href.slice(0, 4096), text: shownText.slice(0, 512) });
  };
  for (const match of html.matchAll(ANCHOR)) {
    if (links.length >= MAIL_LIMITS.links) break;
    add(decodeEntities(match[1] ?? match[2] ?? match[3] ?? ''), htmlToText(match[4] ?? '').trim());
  }
  for (const match of text.matchAll(BARE_URL)) {
    if (links.length >= MAIL_LIMITS.links) break;
    add(match[0], '');
  }
  return links;
}

/** Loaded on first use: mailparser is ~13 MB that every command not reading mail would carry. */
async function parseWithMailparser(input: Buffer): Promise<ParsedMail> {
  const { simpleParser } = await import('mailparser');
  return simpleParser(input, PARSER_OPTIONS);
}

/** Enough HTML-to-text for pattern matching: scripts and styles dropped, tags removed, entities decoded. */
export function htmlToText(html: string): string {
  const text = decodeEntities(
    html
      .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<br\s*\/?>|<\/(p|div|tr|li|h\d)>/gi, '\n')
      .replace(/<[^>]*>/g, ' '),
  );
  // Each run of blanks becomes one space; lone spaces, most of them, are left as they are.
  return text.replace(/[ \t\u00a0]{2,}|[\t\u00a0]/g, ' ');
}

const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (entity, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
    }
    return NAMED[body.toLowerCase()] ?? entity;
  });
}
