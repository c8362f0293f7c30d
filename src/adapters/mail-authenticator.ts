import type { AuthenticateResult, DKIMResult } from 'mailauth';
import { parseAuthenticationResults, type AuthenticationResults } from '../core/authentication-results.js';
import type { AuthFacts, AuthResult, DkimFact } from '../core/monitor/mail-facts.js';
import { offlineResolver, type MailResolver } from './dns-resolver.js';

/** DKIM and ARC signatures re-verified per message at most; real mail carries two or three. */
export const MAX_SIGNATURES = 12;

const RESULTS = new Set<AuthResult>([
  'pass',
  'fail',
  'softfail',
  'neutral',
  'none',
  'temperror',
  'permerror',
  'policy',
]);
/** Results that mean "could not be checked here", so the receiving server's word is used instead. */
const UNVERIFIABLE = new Set<AuthResult>(['neutral', 'none', 'temperror', 'permerror']);

export interface AuthenticateMailOptions {
  resolver: MailResolver;
}

/**
 * SPF, DKIM, DMARC and ARC re-verified with mailauth through the given resolver. SPF uses the
 * client IP of the first `Received` header, since a stored message has no SMTP session. Where
 * a result cannot be re-verified (no key, no IP, DNS down, key rotated or expired), the receiving
 * server's `Authentication-Results` from the top of the message stand in, marked `receiver`.
 */
export async function authenticateMail(
  raw: Buffer,
  { resolver }: AuthenticateMailOptions,
): Promise<AuthFacts> {
  // Each signature costs a DNS look-up and a verification; a hostile pile of them gets none.
  const dns = signatureCount(raw) > MAX_SIGNATURES ? offlineResolver : resolver;
  // Loaded on first use: mailauth and its dependencies are ~34 MB that every other command would carry.
  const { authenticate } = await import('mailauth');
  const result = await quietly(() =>
    authenticate(raw, { resolver: dns, trustReceived: true, disableBimi: true, mta: 'breachdesk' }),
  );
  const receiver = receiverResults(result);
  return {
    spf: spfFact(result, receiver),
    dkim: dkimFacts(result, receiver),
    dmarc: dmarcFact(result, receiver),
    arc: arcFact(result, receiver),
  };
}

function spfFact(result: AuthenticateResult, receiver: ReceiverResults): AuthFacts['spf'] {
  const verified = asResult(result.spf ? result.spf.status.result : 'none');
  const reported = receiver.find('spf');
  if (UNVERIFIABLE.has(verified) && reported) {
    return {
      result: reported.result,
      domain: mailDomain(reported.props['smtp.mailfrom']),
      source: 'receiver',
    };
  }
  return { result: verified, domain: result.spf ? mailDomain(result.spf.domain) : null, source: 'verified' };
}

function dkimFacts(result: AuthenticateResult, receiver: ReceiverResults): DkimFact[] {
  return result.dkim.results
    .filter((sig) => sig.signingDomain)
    .map((sig) => {
      const verified = dkimResult(sig);
      const domain = sig.signingDomain.toLowerCase();
      const reported = UNVERIFIABLE.has(verified)
        ? receiver
            .all('dkim')
            .find((r) => (r.props['header.d'] ?? r.props['header.i'] ?? '').toLowerCase().endsWith(domain))
        : undefined;
      const limited = sig as DKIMResult & { canonBodyLengthLimited?: boolean };
      const underSized = Number(sig.status.underSized ?? 0);
      return {
        result: reported ? reported.result : verified,
        domain,
        aligned: Boolean(sig.status.aligned),
        bodyLengthLimited: limited.canonBodyLengthLimited === true,
        unsignedBytes: Number.isFinite(underSized) ? underSized : 0,
        source: reported ? 'receiver' : 'verified',
      };
    });
}

/** mailauth reports a body that no longer matches its hash as neutral; it is a failed signature. */
function dkimResult(sig: DKIMResult): AuthResult {
  if (sig.status.comment === 'body hash did not verify') return 'fail';
  return asResult(sig.status.result);
}

function dmarcFact(result: AuthenticateResult, receiver: ReceiverResults): AuthFacts['dmarc'] {
  const verified = asResult(result.dmarc ? result.dmarc.status.result : 'none');
  const reported = receiver.find('dmarc');
  if (UNVERIFIABLE.has(verified) && reported) {
    return { result: reported.result, policy: reported.policy, source: 'receiver' };
  }
  return { result: verified, policy: result.dmarc ? result.dmarc.policy || null : null, source: 'verified' };
}

function arcFact(result: AuthenticateResult, receiver: ReceiverResults): AuthFacts['arc'] {
  const verified = asResult(result.arc ? result.arc.status.result : 'none');
  const reported = receiver.find('arc');
  if (UNVERIFIABLE.has(verified) && reported) return { result: reported.result, source: 'receiver' };
  return { result: verified, source: 'verified' };
}

interface ReceiverResult {
  result: AuthResult;
  props: Record<string, string>;
  policy: string | null;
}

interface ReceiverResults {
  find(method: string): ReceiverResult | undefined;
  all(method: string): ReceiverResult[];
}

/**
 * The `Authentication-Results` the receiving server added: the topmost one names it (its
 * authserv-id), and only headers with that id count. RFC 8601 has a receiver strip incoming
 * headers with its own id, so lower ones with other ids may be the sender's inventions.
 */
function receiverResults(result: AuthenticateResult): ReceiverResults {
  const lines = result.dkim.headers?.parsed ?? [];
  const found: { method: string; entry: ReceiverResult }[] = [];
  let receiver: string | null = null;
  for (const { key, line } of lines) {
    if (key !== 'authentication-results') continue;
    // mailauth keeps header lines as Buffers at run time, whatever its typings say.
    const text: string = Buffer.isBuffer(line) ? line.toString('utf8') : String(line);
    const value = text.slice(text.indexOf(':') + 1);
    const parsed: AuthenticationResults | null = parseAuthenticationResults(value);
    if (!parsed) continue;
    receiver ??= parsed.authservId.toLowerCase();
    if (parsed.authservId.toLowerCase() !== receiver) continue;
    const policy = /dmarc=\w+\s*\([^)]*\bp=(none|quarantine|reject)/i.exec(value)?.[1]?.toLowerCase() ?? null;
    for (const entry of parsed.results) {
      found.push({
        method: entry.method,
        entry: { result: asResult(entry.result), props: entry.props, policy },
      });
    }
  }
  return {
    find: (method) => found.find((f) => f.method === method)?.entry,
    all: (method) => found.filter((f) => f.method === method).map((f) => f.entry),
  };
}

function signatureCount(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const end = crlf < 0 ? lf : lf < 0 ? crlf : Math.min(crlf, lf);
  const header = raw.subarray(0, end < 0 ? raw.length : end).toString('latin1');
  return header.match(/^(?:dkim-signature|arc-message-signature|arc-seal)[ \t]*:/gim)?.length ?? 0;
}

function asResult(value: string | undefined): AuthResult {
  const lower = (value ?? 'none').toLowerCase() as AuthResult;
  return RESULTS.has(lower) ? lower : 'neutral';
}

function mailDomain(value: string | undefined): string | null {
  if (!value) return null;
  const domain = value
    .slice(value.lastIndexOf('@') + 1)
    .replace(/[<>[\]]/g, '')
    .toLowerCase();
  return domain || null;
}

/**
 * mailauth prints a debug line to stdout for a DKIM `l=` longer than the body; that would break
 * `--json` output, so it is dropped while mailauth runs.
 */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  if (silenced++ === 0) {
    realLog = console.log;
    console.log = silentLog;
  }
  try {
    return await work();
  } finally {
    if (--silenced === 0) console.log = realLog;
  }
}

let silenced = 0;
let realLog: typeof console.log = console.log;
const silentLog = (): undefined => undefined;
