export type DeliveryAction = 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded';

export interface DeliveryRecipient {
  address: string | null;
  action: DeliveryAction;
  /** An RFC 3463 enhanced status code such as `5.1.1`. */
  status: string | null;
  /** One line, at most 300 characters. */
  diagnostic: string | null;
}

export interface DeliveryReport {
  /** With its angle brackets, as breachdesk stores it: `<ntc_….inc_…@host>`. */
  originalMessageId: string | null;
  reference: string | null;
  recipients: DeliveryRecipient[];
  /** `dsn`: read from a `message/delivery-status` part; `heuristic`: guessed from a plain-text bounce. */
  kind: 'dsn' | 'heuristic';
}

interface Header {
  name: string;
  value: string;
}

interface Entity {
  headers: Header[];
  body: string;
}

interface Leaf extends Entity {
  type: string;
  params: Map<string, string>;
}

type Original = Pick<DeliveryReport, 'originalMessageId' | 'reference'>;

// Everything in a bounce is written by whoever sent it: every loop and every string has a bound.
const MAX_INPUT = 2 * 1024 * 1024;
const MAX_ENTITIES = 64;
const MAX_DEPTH = 6;
const MAX_HEADERS = 300;
const MAX_HEADER_CHARS = 8 * 1024;
const MAX_SCAN_CHARS = 256 * 1024;
const MAX_RECIPIENTS = 100;
const MAX_DIAGNOSTIC = 300;
const MAX_ADDRESS = 320;

const ACTIONS: ReadonlySet<string> = new Set(['failed', 'delayed', 'delivered', 'relayed', 'expanded']);
const STATUS_TYPES: ReadonlySet<string> = new Set([
  'message/delivery-status',
  'message/global-delivery-status',
]);
const ORIGINAL_TYPES: ReadonlySet<string> = new Set([
  'message/rfc822',
  'text/rfc822-headers',
  'message/global',
  'message/global-headers',
]);
const RECIPIENT_FIELDS: ReadonlySet<string> = new Set(['final-recipient', 'original-recipient', 'action']);

const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;
const HEADER_NAME = /^[a-z0-9-]{1,76}$/;
const MESSAGE_ID = /<([!-;=?A-~]{1,250}@[!-;=?A-~]{1,250})>/;
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;
const STATUS = /(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?!\.?\d)/;
const ADDRESS = /^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{1,63}$/;

const DAEMON_SENDER =
  /\b(mailer-daemon|mailer_daemon|mailerdaemon|mail-daemon|postmaster|microsoftexchange[0-9a-f]{32})@|mail delivery (subsystem|system|service)/i;
const BOUNCE_SUBJECT =
  /undeliver|returned mail|return(ed)? to sender|delivery status notification|delivery (failure|failed|has failed|problem)|mail delivery failed|failure notice|could not be delivered|non-?delivery|not delivered|delayed mail/i;
const AUTO_REPLY_SUBJECT =
  /^\s*auto:|out of (the )?office|automatic reply|auto(matic)?[- ]?(reply|response|antwort)|autoreply|vacation|abwesen|absence/i;
const REPLY_OR_FORWARD = /^\s*(re|fwd?|tr|wg|aw|sv|vs)(\[\d+\])?\s*:/i;
const DELAY_WORDS =
  /\bdelay(ed)?\b|still being retried|will (continue|keep) (trying|to try)|will (be )?retr(y|ied)|not yet been delivered/i;
const SEPARATOR_WORDS = /original|copy of|below this line|message follows|headers follow/;
const QUOTED_HEADER = /^[\s>]*(return-path|received|message-id|dkim-signature|x-breachdesk-reference)\s*:/i;

/**
 * Reads a bounce: an RFC 3464 delivery status notification, or a plain-text bounce from an MTA
 * that does not send one (then only when it quotes the original Message-ID). Anything else —
 * a normal message, a reply, an auto-reply, a forward — is null. Never throws.
 */
export function parseDeliveryReport(raw: Buffer | string): DeliveryReport | null {
  const message = splitEntity(toText(raw));
  const leaves: Leaf[] = [];
  collectLeaves(message, 0, leaves, { remaining: MAX_ENTITIES });
  const statusLeaf = leaves.find((leaf) => STATUS_TYPES.has(leaf.type));
  if (statusLeaf) return dsnReport(message, leaves, statusLeaf);
  return looksLikeBounce(message.headers) ? heuristicReport(message, leaves) : null;
}

function dsnReport(message: Entity, leaves: readonly Leaf[], statusLeaf: Leaf): DeliveryReport | null {
  const { perMessage, recipients } = parseDeliveryStatus(decodedBody(statusLeaf));
  // Some MTAs (Google among them) send an empty status part: the human text still says who failed.
  if (recipients.length === 0) return heuristicReport(message, leaves);
  const original = firstOriginal([
    () => fromOriginalParts(leaves),
    () => ({ originalMessageId: messageIdOf(field(perMessage, 'x-original-message-id')), reference: null }),
    () => fromQuotedText(textOf(leaves)),
    () => ({ originalMessageId: messageIdOf(inReplyTo(message.headers)), reference: null }),
  ]);
  return { ...original, recipients, kind: 'dsn' };
}

function heuristicReport(message: Entity, leaves: readonly Leaf[]): DeliveryReport | null {
  const text = textOf(leaves);
  const original = firstOriginal([() => fromOriginalParts(leaves), () => fromQuotedText(text)]);
  if (original.originalMessageId === null) return null;
  return {
    ...original,
    recipients: [heuristicRecipient(message.headers, text)],
    kind: 'heuristic',
  };
}

/** Tries each source in turn; a later source fills only what the earlier ones left empty. */
function firstOriginal(sources: readonly (() => Original)[]): Original {
  const found: Original = { originalMessageId: null, reference: null };
  for (const source of sources) {
    if (found.originalMessageId !== null && found.reference !== null) break;
    const next = source();
    found.originalMessageId ??= next.originalMessageId;
    found.reference ??= next.reference;
  }
  return found;
}

// ——— the message and its parts ———

function toText(raw: Buffer | string): string {
  const text =
    typeof raw === 'string'
      ? raw.slice(0, MAX_INPUT)
      : Buffer.from(raw.subarray(0, MAX_INPUT)).toString('utf8');
  return text.replace(/\r\n?/g, '\n');
}

function splitEntity(text: string): Entity {
  const end = text.startsWith('\n') ? 0 : text.indexOf('\n\n');
  if (end < 0) return { headers: parseHeaderLines(text.split('\n')), body: '' };
  return {
    headers: parseHeaderLines(text.slice(0, end).split('\n')),
    body: text.slice(end === 0 ? 1 : end + 2),
  };
}

function parseHeaderLines(lines: readonly string[]): Header[] {
  const headers: Header[] = [];
  for (const line of lines) {
    const last = headers[headers.length - 1];
    if (last && (line.startsWith(' ') || line.startsWith('\t'))) {
      if (last.value.length < MAX_HEADER_CHARS) last.value = `${last.value} ${line.trim()}`.trim();
      continue;
    }
    if (headers.length >= MAX_HEADERS) break;
    const header = headerOf(line);
    if (header) headers.push(header);
  }
  return headers;
}

function headerOf(line: string): Header | null {
  const colon = line.indexOf(':');
  if (colon < 1) return null;
  const name = line.slice(0, colon).trim().toLowerCase();
  // Only token characters: `__proto__`, `constructor[x]` and the like are not header names.
  if (!HEADER_NAME.test(name)) return null;
  return { name, value: line.slice(colon + 1, colon + 1 + MAX_HEADER_CHARS).trim() };
}

function field(headers: readonly Header[], name: string): string | undefined {
  return headers.find((header) => header.name === name)?.value;
}

function collectLeaves(entity: Entity, depth: number, out: Leaf[], budget: { remaining: number }): void {
  if (budget.remaining-- <= 0) return;
  const { type, params } = parseContentType(field(entity.headers, 'content-type'));
  if (!type.startsWith('multipart/')) {
    out.push({ ...entity, type, params });
    return;
  }
  const boundary = params.get('boundary');
  if (depth >= MAX_DEPTH || boundary === undefined || boundary.length === 0 || boundary.length > 200) return;
  for (const child of childrenOf(entity.body, boundary)) {
    if (budget.remaining <= 0) return;
    collectLeaves(splitEntity(child), depth + 1, out, budget);
  }
}

function parseContentType(value: string | undefined): { type: string; params: Map<string, string> } {
  const params = new Map<string, string>();
  if (value === undefined) return { type: 'text/plain', params };
  const semicolon = value.indexOf(';');
  const type = (semicolon < 0 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  if (semicolon >= 0) {
    const param = /;\s*([A-Za-z0-9._-]{1,64})\s*=\s*(?:"((?:[^"\\]|\\.){0,1000})"|([^;\s"]{1,1000}))/g;
    for (const match of value.slice(semicolon).matchAll(param)) {
      const name = (match[1] ?? '').toLowerCase();
      const quoted = match[2]?.replace(/\\(.)/g, '$1');
      if (!params.has(name)) params.set(name, quoted ?? match[3] ?? '');
    }
  }
  return { type: type.includes('/') ? type : 'text/plain', params };
}

function childrenOf(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const children: string[] = [];
  let current: string[] | null = null;
  for (const line of body.split('\n')) {
    if (line.startsWith(delimiter)) {
      const rest = line.slice(delimiter.length);
      const closing = rest.startsWith('--') && rest.slice(2).trim() === '';
      if (closing || rest.trim() === '') {
        if (current) children.push(current.join('\n'));
        if (closing || children.length >= MAX_ENTITIES) return children;
        current = [];
        continue;
      }
    }
    current?.push(line);
  }
  if (current) children.push(current.join('\n'));
  return children;
}

function decodedBody(leaf: Leaf): string {
  const encoding = (field(leaf.headers, 'content-transfer-encoding') ?? '').trim().toLowerCase();
  const body = leaf.body.slice(0, MAX_SCAN_CHARS * 2);
  const charset = leaf.params.get('charset');
  if (encoding === 'base64') {
    return decodeBytes(Buffer.from(body.replace(/[^A-Za-z0-9+/]/g, ''), 'base64'), charset).slice(
      0,
      MAX_SCAN_CHARS,
    );
  }
  if (encoding === 'quoted-printable') {
    return decodeBytes(decodeQuotedPrintable(body.replace(/=[ \t]*\n/g, '')), charset).slice(
      0,
      MAX_SCAN_CHARS,
    );
  }
  return body.slice(0, MAX_SCAN_CHARS);
}

function decodeQuotedPrintable(text: string): Buffer {
  // Never longer than the text's UTF-8: each `=XX` (three bytes) becomes one.
  const bytes = Buffer.alloc(Buffer.byteLength(text));
  let length = 0;
  let from = 0;
  for (const match of text.matchAll(/=([0-9A-Fa-f]{2})/g)) {
    length += bytes.write(text.slice(from, match.index), length);
    bytes[length++] = parseInt(match[1] ?? '0', 16);
    from = match.index + 3;
  }
  length += bytes.write(text.slice(from), length);
  return bytes.subarray(0, length);
}

function decodeBytes(bytes: Uint8Array, charset: string | undefined): string {
  try {
    return new TextDecoder(charset?.trim() || 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder().decode(bytes);
  }
}

function decodeEncodedWords(value: string): string {
  return value.replace(
    /=\?([^?\s]{1,40})\?([BbQq])\?([^?\s]{0,1000})\?=/g,
    (_whole, charset: string, encoding: string, text: string) => {
      const bytes =
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : decodeQuotedPrintable(text.replace(/_/g, ' '));
      return decodeBytes(bytes, charset.split('*')[0]);
    },
  );
}

function textOf(leaves: readonly Leaf[]): string {
  return leaves
    .filter((leaf) => leaf.type === 'text/plain')
    .map(decodedBody)
    .join('\n')
    .slice(0, MAX_SCAN_CHARS);
}

// ——— the delivery-status part ———

function parseDeliveryStatus(text: string): { perMessage: Header[]; recipients: DeliveryRecipient[] } {
  const perMessage: Header[] = [];
  const recipients: DeliveryRecipient[] = [];
  for (const group of fieldGroups(text)) {
    if (!group.some((header) => RECIPIENT_FIELDS.has(header.name) || header.name === 'status')) {
      if (perMessage.length < MAX_HEADERS) perMessage.push(...group);
      continue;
    }
    const recipient = recipientOf(group);
    if (recipient) recipients.push(recipient);
    if (recipients.length >= MAX_RECIPIENTS) break;
  }
  return { perMessage, recipients };
}

/** Blank-line separated groups; a repeated recipient field also starts a group, for MTAs that omit the blank line. */
function* fieldGroups(text: string): Generator<Header[]> {
  let lines: string[] = [];
  for (const line of `${text}\n`.split('\n')) {
    if (line.trim() !== '') {
      lines.push(line);
      continue;
    }
    if (lines.length > 0) yield* splitOnRepeats(parseHeaderLines(lines));
    lines = [];
  }
}

function splitOnRepeats(fields: readonly Header[]): Header[][] {
  const groups: Header[][] = [];
  let current: Header[] = [];
  for (const header of fields) {
    if (RECIPIENT_FIELDS.has(header.name) && current.some((seen) => seen.name === header.name)) {
      groups.push(current);
      current = [];
    }
    current.push(header);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function recipientOf(fields: readonly Header[]): DeliveryRecipient | null {
  const status = statusOf(field(fields, 'status'));
  const action = actionOf(field(fields, 'action'), status);
  if (action === null) return null;
  return {
    address: addressOf(field(fields, 'final-recipient') ?? field(fields, 'original-recipient')),
    action,
    status,
    diagnostic: diagnosticOf(field(fields, 'diagnostic-code')),
  };
}

function statusOf(value: string | undefined): string | null {
  return value === undefined ? null : (STATUS.exec(value)?.[1] ?? null);
}

function actionOf(value: string | undefined, status: string | null): DeliveryAction | null {
  const word = /^[a-z]+/.exec((value ?? '').trim().toLowerCase())?.[0] ?? '';
  if (ACTIONS.has(word)) return word as DeliveryAction;
  // The action is required, but a status alone still says which way it went.
  if (status?.startsWith('5')) return 'failed';
  if (status?.startsWith('4')) return 'delayed';
  if (status?.startsWith('2')) return 'delivered';
  return null;
}

function addressOf(value: string | undefined): string | null {
  if (value === undefined) return null;
  const typed = /^\s*[A-Za-z0-9-]{1,20}\s*;/.exec(value);
  const bare = (typed ? value.slice(typed[0].length) : value).trim().replace(/^<(.*)>$/, '$1');
  return oneLine(bare, MAX_ADDRESS);
}

function diagnosticOf(value: string | undefined): string | null {
  if (value === undefined) return null;
  const text = value.replace(/^\s*[A-Za-z0-9-]{1,20}\s*;\s*/, '');
  return oneLine(joinMultilineReply(text), MAX_DIAGNOSTIC);
}

/** `550-5.1.1 first line 550-5.1.1 second line 550 5.1.1 last` → `550 5.1.1 first line second line last`. */
function joinMultilineReply(text: string): string {
  const lead = /^\s*(\d{3})[- ](\d\.\d{1,3}\.\d{1,3})?/.exec(text);
  if (!lead) return text;
  const [, code = '', status] = lead;
  const prefix = status === undefined ? `${code}[- ]` : `${code}[- ]${status.replace(/\./g, '\\.')}`;
  const rest = text.slice(lead[0].length).replace(new RegExp(`\\s${prefix}(?=\\s)`, 'g'), ' ');
  return `${code} ${status ?? ''}${rest}`;
}

// ——— the original message ———

function fromOriginalParts(leaves: readonly Leaf[]): Original {
  for (const leaf of leaves) {
    if (!ORIGINAL_TYPES.has(leaf.type)) continue;
    const { headers } = splitEntity(decodedBody(leaf).replace(/^\n+/, ''));
    const original = {
      originalMessageId: messageIdOf(field(headers, 'message-id')),
      reference: referenceOf(field(headers, 'x-breachdesk-reference')),
    };
    if (original.originalMessageId !== null || original.reference !== null) return original;
  }
  return { originalMessageId: null, reference: null };
}

/** Original headers quoted in a text body, possibly indented or `>`-quoted, with the value on the next line. */
function fromQuotedText(text: string): Original {
  const found: Original = { originalMessageId: null, reference: null };
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const match = /^[\s>|]*(message-id|x-breachdesk-reference)\s*:(.*)$/i.exec(lines[index] ?? '');
    if (!match) continue;
    const value = (match[2] ?? '').trim() || (lines[index + 1] ?? '');
    if (match[1]?.toLowerCase() === 'message-id') found.originalMessageId ??= messageIdOf(value);
    else found.reference ??= referenceOf(value);
    if (found.originalMessageId !== null && found.reference !== null) break;
  }
  return found;
}

function inReplyTo(headers: readonly Header[]): string | undefined {
  return field(headers, 'in-reply-to') ?? field(headers, 'references');
}

function messageIdOf(value: string | undefined): string | null {
  const match = value === undefined ? null : MESSAGE_ID.exec(value);
  return match ? `<${match[1]}>` : null;
}

function referenceOf(value: string | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return REFERENCE.test(trimmed) ? trimmed : null;
}

// ——— bounces that are not RFC 3464 ———

function looksLikeBounce(headers: readonly Header[]): boolean {
  const subject = decodeEncodedWords(field(headers, 'subject') ?? '');
  const autoReply =
    AUTO_REPLY_SUBJECT.test(subject) ||
    field(headers, 'x-autoreply') !== undefined ||
    field(headers, 'x-autorespond') !== undefined;
  if (autoReply || REPLY_OR_FORWARD.test(subject)) return false;
  return (
    DAEMON_SENDER.test(decodeEncodedWords(field(headers, 'from') ?? '')) ||
    BOUNCE_SUBJECT.test(subject) ||
    field(headers, 'x-failed-recipients') !== undefined ||
    field(headers, 'x-ms-exchange-message-is-ndr') !== undefined
  );
}

function heuristicRecipient(headers: readonly Header[], text: string): DeliveryRecipient {
  const explanation = humanPart(text);
  const status = STATUS.exec(explanation)?.[1] ?? null;
  const delayed =
    status?.startsWith('5') !== true &&
    DELAY_WORDS.test(`${field(headers, 'subject') ?? ''}\n${explanation}`);
  return {
    address: failedAddress(headers, explanation),
    action: delayed ? 'delayed' : 'failed',
    status,
    diagnostic: oneLine(diagnosticLine(explanation, status) ?? '', MAX_DIAGNOSTIC),
  };
}

/** The bounce's own words, before the quoted original begins. */
function humanPart(text: string): string {
  const lines = text.split('\n');
  const end = lines.findIndex(startsTheOriginal);
  return (end < 0 ? lines : lines.slice(0, end)).join('\n');
}

/** `------ This is a copy of the message ------`, `Original message headers:`, or a quoted header line. */
function startsTheOriginal(line: string): boolean {
  if (line.length > 200) return false;
  const text = line.trim().toLowerCase();
  if (/^[-=_*]{2}/.test(text) && SEPARATOR_WORDS.test(text)) return true;
  return text === 'original message headers:' || QUOTED_HEADER.test(line);
}

function failedAddress(headers: readonly Header[], explanation: string): string | null {
  const declared = field(headers, 'x-failed-recipients')?.split(',')[0];
  if (declared !== undefined) return addressOf(declared);
  const bounceHeaders = ['from', 'to', 'return-path', 'sender'].flatMap((name) =>
    addressesIn(field(headers, name) ?? ''),
  );
  // The bounce goes to our own return path: an address there is ours, not the recipient's.
  const ourDomains = new Set(addressesIn(field(headers, 'to') ?? '').map(domainOf));
  const address = addressesIn(explanation).find(
    (candidate) =>
      !bounceHeaders.includes(candidate) &&
      !ourDomains.has(domainOf(candidate)) &&
      !/^(postmaster|mailer-daemon)@/.test(candidate),
  );
  return address === undefined ? null : oneLine(address, MAX_ADDRESS);
}

function addressesIn(text: string): string[] {
  return text
    .split(/[\s<>()[\]{},;:"'`]+/)
    .map((token) => withoutTrailingDots(token).toLowerCase())
    .filter((token) => ADDRESS.test(token));
}

function withoutTrailingDots(token: string): string {
  let end = token.length;
  while (end > 0 && token[end - 1] === '.') end--;
  return token.slice(0, end);
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

function diagnosticLine(explanation: string, status: string | null): string | undefined {
  const lines = explanation.split('\n');
  if (status !== null) return lines.find((line) => line.includes(status));
  return lines.find((line) => /\b[45]\d\d[ -]/.test(line));
}

// ——— output ———

function oneLine(text: string, max: number): string | null {
  const line = text.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  if (line === '') return null;
  if (line.length <= max) return line;
  // Do not cut a surrogate pair in half.
  return line
    .slice(0, max)
    .replace(/[\uD800-\uDBFF]$/, '')
    .trim();
}
