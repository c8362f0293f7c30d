/**
 * A one-pass, synchronous reader for the MIME structure of ordinary mail: the text and HTML a
 * client shows and the attachments, read as mailparser reads them. It covers the common shapes
 * only (multiparts closed by their delimiter, plain parameters, base64 and quoted-printable,
 * flowed text, UTF-8, ASCII, Latin-1 and Windows-1252) and answers null for anything else, so
 * that hostile or unusual structure goes to mailparser, whose rules were hardened against it.
 */
export interface MimeMessage {
  /** The top-level header fields in order: lowercase name, unfolded value with raw bytes read as UTF-8. */
  headers: MimeHeader[];
  /** mailparser's `text`: the text parts joined, undefined when there are none. */
  text: string | undefined;
  /** mailparser's `html`: the HTML parts joined, false when there are none. */
  html: string | false;
  attachments: MimeAttachment[];
}

export interface MimeHeader {
  key: string;
  value: string;
}

export interface MimeAttachment {
  filename: string | undefined;
  contentType: string;
  content: Buffer;
}

/** Past these the message is not ordinary, and mailparser reads it. */
const LIMITS = { depth: 8, parts: 100, headerBytes: 64 * 1024 } as const;

const TEXT_TYPES = new Set(['text/plain', 'text/html', 'message/delivery-status']);
const BASE64 = /^[A-Za-z0-9+/\r\n\t ]*(?:={1,2}[\r\n\t ]*)?$/;
const NON_ASCII = /[\x80-\uffff]/;

interface Leaf {
  contentType: string;
  alternative: boolean;
  root: boolean;
  /** Decoded text of an inline text part; undefined for an attachment. */
  text?: string;
}

interface Walk {
  raw: Buffer;
  /** The message read as Latin-1: one character per byte, so indexes are byte offsets. */
  src: string;
  parts: number;
  leaves: Leaf[];
  attachments: MimeAttachment[];
  rootHeaders: MimeHeader[];
}

class Unusual extends Error {}

/** The message as mailparser would read it, or null when only mailparser should read it. */
export function readMime(raw: Buffer): MimeMessage | null {
  const walk: Walk = {
    raw,
    src: raw.toString('latin1'),
    parts: 0,
    leaves: [],
    attachments: [],
    rootHeaders: [],
  };
  try {
    readPart(walk, { start: 0, end: walk.src.length, beforeOpen: false }, 0, [], false);
  } catch (error) {
    if (error instanceof Unusual) return null;
    throw error;
  }
  return { headers: walk.rootHeaders, ...joinText(walk.leaves), attachments: walk.attachments };
}

function unusual(): never {
  throw new Unusual();
}

/** A part: from its first header line to the end of the message or to the next delimiter line. */
interface Region {
  start: number;
  end: number;
  /** The delimiter after the part opens another part (rather than closing the multipart). */
  beforeOpen: boolean;
}

function readPart(
  walk: Walk,
  region: Region,
  depth: number,
  boundaries: string[],
  alternative: boolean,
): void {
  if (++walk.parts > LIMITS.parts || depth > LIMITS.depth) unusual();
  const root = depth === 0;
  const { src } = walk;
  const { start, end } = region;
  const bodyStart = headerBlockEnd(src, start, end);
  const lines = headerLines(src.slice(start, bodyStart), root);
  if (root) {
    walk.rootHeaders = lines.map((line) => ({ key: line.key, value: utf8(unfold(line.line)) }));
  }
  const first = (key: string) => lines.find((line) => line.key === key);
  const typeLine = first('content-type');
  const dispositionLine = first('content-disposition');
  if (NON_ASCII.test(typeLine?.line ?? '') || NON_ASCII.test(dispositionLine?.line ?? '')) unusual();
  const disposition = dispositionLine ? parameters(unfold(dispositionLine.line)) : null;
  const type = typeLine ? parameters(unfold(typeLine.line)) : null;
  if (!type && disposition && disposition.params.has('filename')) unusual();
  const contentType = type
    ? type.value.toLowerCase()
    : disposition?.value.toLowerCase() === 'attachment'
      ? 'application/octet-stream'
      : 'text/plain';
  if (!contentType) unusual();
  const encodingLine = first('content-transfer-encoding');
  const encoding = encodingLine ? unfold(encodingLine.line).toLowerCase() : '';
  if (/[("\\]/.test(encoding)) unusual();

  if (contentType.startsWith('multipart/')) {
    const boundary = type?.params.get('boundary')?.trimEnd();
    if (!boundary || NON_ASCII.test(boundary) || boundaries.includes(boundary)) unusual();
    const inner = alternative || contentType === 'multipart/alternative';
    for (const part of splitParts(src, bodyStart, end, boundary)) {
      readPart(walk, part, depth + 1, [...boundaries, boundary], inner);
    }
    return;
  }
  if (contentType === 'message/delivery-status' || contentType === 'message/rfc822') unusual();
  let dispositionValue = (disposition?.value ?? '').toLowerCase();
  if (dispositionValue.includes('=?')) unusual();
  if (dispositionValue && dispositionValue !== 'attachment' && dispositionValue !== 'inline') {
    dispositionValue = 'attachment';
  }
  if (!dispositionValue) dispositionValue = TEXT_TYPES.has(contentType) ? 'inline' : 'attachment';
  const content = decodeBody(walk, bodyStart, root ? end : bodyEnd(src, bodyStart, region), encoding);
  if (!TEXT_TYPES.has(contentType) || dispositionValue !== 'inline') {
    const name = disposition?.params.get('filename') || type?.params.get('name') || undefined;
    if (contentType === 'application/octet-stream' && name) unusual();
    const filename = name === undefined ? undefined : decodeWords(name);
    if (filename === null) unusual();
    walk.attachments.push({ filename, contentType, content });
    walk.leaves.push({ contentType, alternative, root });
    return;
  }
  const flowed =
    contentType === 'text/plain' && type?.params.get('format')?.toLowerCase().trim() === 'flowed';
  const delSp = type?.params.get('delsp')?.toLowerCase().trim() === 'yes';
  const bytes = flowed ? Buffer.from(decodeFlowed(content.toString('latin1'), delSp), 'latin1') : content;
  const charset = type?.params.get('charset') || 'utf-8';
  const simple = charset.toLowerCase().replace(/[^a-z0-9]+/g, '');
  let text: string;
  if (simple === 'utf8' || simple === 'ascii' || simple === 'usascii') text = bytes.toString('utf8');
  else if (charsetKey(charset) === 'windows-1252') text = decodeWindows1252(bytes);
  else unusual();
  walk.leaves.push({ contentType, alternative, root, text: text.split('\r\n').join('\n') });
}

/** Where the body starts: after the first empty line. A part with no empty line is not ordinary. */
function headerBlockEnd(src: string, start: number, end: number): number {
  if (src.startsWith('\n', start)) return start + 1;
  if (src.startsWith('\r\n', start)) return start + 2;
  // Line by line within the part and the header limit, so no search runs on through the message.
  const limit = Math.min(end, start + LIMITS.headerBytes);
  for (let at = src.indexOf('\n', start); at >= 0 && at < limit; at = src.indexOf('\n', at + 1)) {
    if (src[at + 1] === '\n' && at + 2 <= end) return at + 2;
    if (src[at + 1] === '\r' && src[at + 2] === '\n' && at + 3 <= end) return at + 3;
  }
  return unusual();
}

interface HeaderLine {
  key: string;
  line: string;
}

/** mailsplit's header lines: continuation lines joined to their field, names lowercased. */
function headerLines(block: string, root: boolean): HeaderLine[] {
  if (block.length > LIMITS.headerBytes) unusual();
  // 8-bit part headers are read as Latin-1 by mailparser, a bare CR folds differently.
  if ((!root && NON_ASCII.test(block)) || /\r(?!\n)/.test(block)) unusual();
  const lines: HeaderLine[] = [];
  for (const text of block.replace(/[\r\n]+$/, '').split(/\r?\n/)) {
    if (text === '') continue;
    if (text[0] === ' ' || text[0] === '\t') {
      const last = lines[lines.length - 1];
      if (!last) unusual();
      last.line += `\r\n${text}`;
      continue;
    }
    const colon = text.indexOf(':');
    if (colon <= 0 || /^From /i.test(text)) unusual();
    lines.push({ key: text.slice(0, colon).toLowerCase().trim(), line: text });
  }
  return lines;
}

/** libmime's decodeHeader: the value after the colon, folding removed, trimmed. */
function unfold(line: string): string {
  const flat = line.replace(/(?:\r?\n|\r)[ \t]*/g, ' ').trim();
  return flat.slice(flat.indexOf(':') + 1).trim();
}

function utf8(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

interface HeaderValue {
  value: string;
  params: Map<string, string>;
}

/**
 * `type/subtype; key=value; key="quoted value"`, the plain form only: comments, escapes, RFC
 * 2231 parameters and repeated names make the message not ordinary.
 */
function parameters(text: string): HeaderValue {
  if (/[()\\]/.test(text)) unusual();
  const semicolon = text.indexOf(';');
  const value = (semicolon < 0 ? text : text.slice(0, semicolon)).trim();
  if (/[\s"]/.test(value)) unusual();
  const params = new Map<string, string>();
  let rest = semicolon < 0 ? '' : text.slice(semicolon + 1);
  while (rest.trim() !== '') {
    const match = /^\s*([^\s=;"*]+)\s*=\s*(?:"([^"]*)"|([^\s;"]*))\s*(?:;|$)/.exec(rest);
    if (!match) unusual();
    const key = match[1]!.toLowerCase();
    if (params.has(key)) unusual();
    params.set(key, match[2] ?? match[3] ?? '');
    rest = rest.slice(match[0].length);
  }
  return { value, params };
}

/** The parts between the delimiter lines of `boundary`; the closing delimiter must come. */
function splitParts(src: string, start: number, end: number, boundary: string): Region[] {
  const delimiter = `--${boundary}`;
  const parts: Region[] = [];
  let open = -1;
  for (let at = src.indexOf(delimiter, start); at >= 0 && at < end; at = src.indexOf(delimiter, at + 1)) {
    if (at > start && src[at - 1] !== '\n') continue;
    let after = at + delimiter.length;
    const closing = src.startsWith('--', after);
    if (closing) after += 2;
    while (src[after] === ' ' || src[after] === '\t') after++;
    let next: number;
    if (after >= end) next = end;
    else if (src[after] === '\n') next = after + 1;
    else if (src.startsWith('\r\n', after)) next = after + 2;
    else continue;
    if (open >= 0) parts.push({ start: open, end: at, beforeOpen: !closing });
    else if (closing) unusual();
    if (closing) return parts;
    open = next;
  }
  return unusual();
}

/**
 * The line break before a delimiter line belongs to the delimiter, except (mailsplit's way) when
 * it is the whole body of a part that another part follows.
 */
function bodyEnd(src: string, bodyStart: number, { end, beforeOpen }: Region): number {
  let trimmed = end;
  if (trimmed > bodyStart && src[trimmed - 1] === '\n') {
    trimmed--;
    if (trimmed > bodyStart && src[trimmed - 1] === '\r') trimmed--;
  }
  return trimmed === bodyStart && beforeOpen ? end : trimmed;
}

function decodeBody(walk: Walk, start: number, end: number, encoding: string): Buffer {
  if (encoding === 'base64') {
    const body = walk.src.slice(start, end);
    if (!BASE64.test(body)) unusual();
    return Buffer.from(body, 'base64');
  }
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(walk.src.slice(start, end));
  return Buffer.from(walk.raw.subarray(start, end));
}

/**
 * libqp's decode of a body read as Latin-1: whitespace before a line break or the end dropped,
 * soft line breaks (`=` before a line break or the end) removed, then `=XX` to a byte and any
 * other `=` kept. The runs between escapes are copied whole.
 */
export function decodeQuotedPrintable(latin1: string): Buffer {
  const text = (
    TRAILING_SPACE.test(latin1) ? latin1.replace(/(^|[^ \t])[ \t]+(?=[\n\r]|$)/g, '$1') : latin1
  ).replace(/=(?:\r?\n|$)/g, '');
  const out = Buffer.allocUnsafe(text.length);
  let written = 0;
  let copied = 0;
  for (let at = text.indexOf('='); at >= 0; at = text.indexOf('=', at + 1)) {
    const hi = at < text.length - 2 ? hexValue(text.charCodeAt(at + 1)) : -1;
    const lo = hi >= 0 ? hexValue(text.charCodeAt(at + 2)) : -1;
    if (lo < 0) continue;
    written = copyLatin1(text, copied, at, out, written);
    out[written++] = hi * 16 + lo;
    copied = at + 3;
    at += 2;
  }
  written = copyLatin1(text, copied, text.length, out, written);
  return out.subarray(0, written);
}

/** Copies `text[from, to)` as bytes; short runs by hand, since a native write costs more to call. */
function copyLatin1(text: string, from: number, to: number, out: Buffer, at: number): number {
  if (to - from > 64) return at + out.write(text.slice(from, to), at, 'latin1');
  for (let i = from; i < to; i++) out[at++] = text.charCodeAt(i);
  return at;
}

const TRAILING_SPACE = /[ \t](?:[\r\n]|$)/;

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/**
 * libmime's decodeFlowed (RFC 3676) on a body read as Latin-1: a line ending in a space runs on
 * into the next line of the same quote depth (its trailing space dropped with `delsp=yes`), the
 * signature separator `-- ` excepted, and space-stuffing is removed.
 */
function decodeFlowed(input: string, delSp: boolean): string {
  const result: string[] = [];
  let parts: string[] = [];
  let length = 0;
  let depth = 0;
  let prefix = '';
  const push = (part: string) => {
    if (part) parts.push(part);
    length += part.length;
  };
  const lines = input.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let lineDepth = 0;
    while (line.charCodeAt(lineDepth) === 0x3e) lineDepth++;
    const prefixLength = lineDepth && line.charCodeAt(lineDepth) === 0x20 ? lineDepth + 1 : lineDepth;
    const content = line.slice(prefixLength);
    const last = parts[parts.length - 1] ?? '';
    const soft = lineDepth === depth && last.endsWith(' ') && !(length === 3 && parts.join('') === '-- ');
    if (soft && delSp) {
      parts.pop();
      length -= last.length;
      push(last.slice(0, -1));
      push(content);
    } else if (soft) {
      push(lineDepth ? content : content.replace(/^ /, ''));
    } else {
      if (i > 0) result.push(prefix + parts.join(''));
      parts = [];
      length = 0;
      depth = lineDepth;
      prefix = line.slice(0, prefixLength);
      push(content);
    }
  }
  if (parts.length > 0 || prefix) result.push(prefix + parts.join(''));
  return result.join('\n').replace(/^ /gm, '');
}

/** mailparser's text and html: text parts, HTML parts, and the blanks it leaves between them. */
function joinText(leaves: Leaf[]): Pick<MimeMessage, 'text' | 'html'> {
  const inline = leaves.filter((leaf) => leaf.text !== undefined);
  const hasText = inline.some((leaf) => leaf.contentType === 'text/plain');
  const hasHtml = inline.some((leaf) => leaf.contentType === 'text/html');
  const text: string[] = [];
  const html: string[] = [];
  for (const leaf of inline) {
    if (!leaf.text) continue;
    if (leaf.contentType === 'text/plain') {
      text.push(leaf.text);
      if (!leaf.alternative && hasHtml) html.push('');
    } else {
      if ((!leaf.alternative && hasText) || (leaf.root && !hasText)) text.push('');
      html.push(leaf.text);
    }
  }
  const joined = html.join('<br/>\n');
  return { text: text.length > 0 ? text.join('\n') : undefined, html: joined || false };
}

const ENCODED_WORD = /=\?([\w_\-*]+)\?([QqBb])\?([^?]*)\?=/g;

/**
 * The charsets read here, named as libmime normalizes them: it reads ASCII and Latin-1 encoded
 * words and Latin-1 bodies as Windows-1252. Null for any other.
 */
function charsetKey(charset: string): 'UTF-8' | 'windows-1252' | null {
  const name = charset.trim().toLowerCase();
  if (name === 'utf-8' || name === 'utf8') return 'UTF-8';
  return WINDOWS_1252_NAMES.has(name) ? 'windows-1252' : null;
}

const WINDOWS_1252_NAMES = new Set([
  'us-ascii',
  'ascii',
  'iso-8859-1',
  'iso8859-1',
  'iso_8859-1',
  'latin1',
  'windows-1252',
  'cp1252',
]);

/** iconv-lite's Windows-1252: Latin-1 but for 0x80–0x9F, its five unassigned bytes U+FFFD. */
const WINDOWS_1252_HIGH =
  '\u20ac\ufffd\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\ufffd\u017d\ufffd' +
  '\ufffd\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\ufffd\u017e\u0178';

function decodeWindows1252(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/[\x80-\x9f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

/**
 * libmime's decodeWords for UTF-8, ASCII and Latin-1 encoded words (adjacent ones of one
 * charset joined, the space between words dropped); null when a word names another charset.
 */
export function decodeWords(text: string): string | null {
  if (!text.includes('=?')) return text;
  let foreign = false;
  const joined = text
    .replace(
      /(=\?([^?]+)\?[Bb]\?[^?]*\?=)\s*(?==\?([^?]+)\?[Bb]\?[^?]*\?=)/g,
      (match, left: string, a: string, b: string) =>
        charsetKey(a) === charsetKey(b) ? `${left}__\ue000JOIN\ue000__` : match,
    )
    .replace(
      /(=\?([^?]+)\?[Qq]\?[^?]*\?=)\s*(?==\?([^?]+)\?[Qq]\?[^?]*\?=)/g,
      (match, left: string, a: string, b: string) =>
        charsetKey(a) === charsetKey(b) ? `${left}__\ue000JOIN\ue000__` : match,
    )
    .replace(/(\?=)?__\ue000JOIN\ue000__(=\?([^?]+)\?[QqBb]\?)?/g, '')
    .replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?[^?]+\?[QqBb]\?[^?]*\?=)/g, '$1')
    .replace(ENCODED_WORD, (_match, charset: string, encoding: string, word: string) => {
      const key = charsetKey(charset.split('*')[0]!);
      if (!key) foreign = true;
      const bytes = decodeWord(encoding.toUpperCase(), word);
      return key === 'windows-1252' ? decodeWindows1252(bytes) : bytes.toString('utf8');
    });
  return foreign ? null : joined;
}

function decodeWord(encoding: string, word: string): Buffer {
  if (encoding === 'B') return decodeBase64Segments(word);
  const text = word.replace(/=\s+([0-9a-fA-F])/g, '=$1').replace(/[_\s]/g, ' ');
  const bytes = Buffer.from(text);
  const out = Buffer.allocUnsafe(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === 0x3d && i <= bytes.length - 2) {
      const hi = hexValue(bytes[i + 1] ?? -1);
      const lo = hexValue(bytes[i + 2] ?? -1);
      if (hi >= 0 && lo >= 0) {
        out[length++] = hi * 16 + lo;
        i += 2;
        continue;
      }
    }
    out[length++] = byte;
  }
  return out.subarray(0, length);
}

/** libbase64's decode: input of several padded segments (joined encoded words) decoded segment by segment. */
function decodeBase64Segments(input: string): Buffer {
  const text = input.replace(/[\u0100-\uffff]+/g, '');
  const pad = text.indexOf('=');
  if (pad < 0 || !/[a-zA-Z0-9+/\-_]/.test(text.slice(pad))) return Buffer.from(text, 'base64');
  const chunks: Buffer[] = [];
  for (const segment of text.split('=')) if (segment) chunks.push(Buffer.from(segment, 'base64'));
  return Buffer.concat(chunks);
}
