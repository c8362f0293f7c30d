import { Resolver } from 'node:dns/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';

export interface MxRecord {
  exchange: string;
  priority: number;
}

/**
 * The DNS lookups breachdesk makes, one method per record type. A failed lookup rejects with an
 * error whose `code` is node:dns's: `ENOTFOUND` (no such name), `ENODATA` (the name exists, not
 * that type), `ETIMEOUT`, `ESERVFAIL`, `ECONNREFUSED`…
 */
export interface DnsResolver {
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
  resolveMx(name: string): Promise<MxRecord[]>;
  resolveNs(name: string): Promise<string[]>;
  resolveTxt(name: string): Promise<string[][]>;
  resolvePtr(name: string): Promise<string[]>;
}

export class DnsError extends Error {
  override readonly name = 'DnsError';
  constructor(
    readonly code: string,
    readonly hostname: string,
    readonly syscall = 'query',
  ) {
    super(`${syscall} ${code} ${hostname}`);
  }
}

/** The node:dns code of a failed lookup, or undefined for anything that is not a DNS error. */
export function dnsErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export interface SystemResolverOptions {
  /** Per attempt, in milliseconds (default 2500). */
  timeoutMs?: number;
  /** Attempts per server before giving up (default 2). */
  tries?: number;
  /** Servers to ask (`1.1.1.1`, `[2606:4700::1111]:53`); default the system's. */
  servers?: readonly string[];
}

/** The real resolver (node:dns with c-ares), with a hard deadline on every lookup. */
export function systemDnsResolver({
  timeoutMs = 2500,
  tries = 2,
  servers,
}: SystemResolverOptions = {}): DnsResolver {
  const resolver = new Resolver({ timeout: timeoutMs, tries });
  if (servers && servers.length > 0) resolver.setServers([...servers]);
  // c-ares retries across servers; the deadline bounds the whole lookup whatever the server list.
  const deadline = timeoutMs * tries + 500;
  const bounded =
    <T>(lookup: (name: string) => Promise<T>) =>
    (name: string): Promise<T> =>
      withDeadline(lookup(name), deadline, name);
  return {
    resolve4: bounded((name) => resolver.resolve4(name)),
    resolve6: bounded((name) => resolver.resolve6(name)),
    resolveMx: bounded((name) => resolver.resolveMx(name)),
    resolveNs: bounded((name) => resolver.resolveNs(name)),
    resolveTxt: bounded((name) => resolver.resolveTxt(name)),
    resolvePtr: bounded((name) => resolver.resolvePtr(name)),
  };
}

function withDeadline<T>(lookup: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DnsError('ETIMEOUT', name)), ms);
  });
  return Promise.race([lookup, expired]).finally(() => clearTimeout(timer));
}

export interface ZoneEntry {
  a?: string[];
  aaaa?: string[];
  mx?: MxRecord[];
  ns?: string[];
  txt?: string[][];
  ptr?: string[];
}

export interface MemoryResolverOptions {
  /** Names whose every lookup fails with this code (`ETIMEOUT`, `ESERVFAIL`…). */
  failures?: Readonly<Record<string, string>>;
  /** Milliseconds each answer takes, so callers' concurrency can be observed. */
  delayMs?: number;
}

/** Resolver over an in-memory zone, for tests and offline runs; counts queries and peak concurrency. */
export function memoryDnsResolver(
  zone: Readonly<Record<string, ZoneEntry>>,
  { failures = {}, delayMs = 0 }: MemoryResolverOptions = {},
): DnsResolver & { readonly stats: { queries: number; peakInFlight: number } } {
  const entries = new Map(Object.entries(zone).map(([name, entry]) => [canonical(name), entry]));
  const failing = new Map(Object.entries(failures).map(([name, code]) => [canonical(name), code]));
  const stats = { queries: 0, peakInFlight: 0 };
  let inFlight = 0;
  const lookup =
    <T>(pick: (entry: ZoneEntry) => T[] | undefined) =>
    async (raw: string): Promise<T[]> => {
      const name = canonical(raw);
      stats.queries++;
      stats.peakInFlight = Math.max(stats.peakInFlight, ++inFlight);
      try {
        // No timer when there is no delay: a timer tick per lookup would swamp a benchmark.
        await (delayMs > 0 ? new Promise((resolve) => setTimeout(resolve, delayMs)) : undefined);
        const failure = failing.get(name);
        if (failure) throw new DnsError(failure, name);
        const entry = entries.get(name);
        if (!entry && ![...entries.keys()].some((known) => known.endsWith(`.${name}`))) {
          throw new DnsError('ENOTFOUND', name);
        }
        const records = entry ? pick(entry) : undefined;
        if (!records || records.length === 0) throw new DnsError('ENODATA', name);
        return records;
      } finally {
        inFlight--;
      }
    };
  return {
    stats,
    resolve4: lookup((entry) => entry.a),
    resolve6: lookup((entry) => entry.aaaa),
    resolveMx: lookup((entry) => entry.mx),
    resolveNs: lookup((entry) => entry.ns),
    resolveTxt: lookup((entry) => entry.txt),
    resolvePtr: lookup((entry) => entry.ptr),
  };
}

function canonical(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** mailauth's `resolver` option: answers like `dns.promises.resolve`, TXT as chunked strings. */
export type MailResolver = (name: string, rrtype: string) => Promise<string[][] | string[]>;

/** The lookups mailauth makes (TXT, A, AAAA, MX, PTR) answered by a DnsResolver. */
export function mailResolverOf(dns: DnsResolver): MailResolver {
  return (name, rrtype) => {
    switch (rrtype.toUpperCase()) {
      case 'TXT':
        return dns.resolveTxt(name);
      case 'A':
        return dns.resolve4(name);
      case 'AAAA':
        return dns.resolve6(name);
      case 'MX':
        // mailauth reads MX answers as dns.resolve gives them, objects, whatever its typings say.
        return dns.resolveMx(name) as unknown as Promise<string[]>;
      case 'NS':
        return dns.resolveNs(name);
      case 'PTR':
        return dns.resolvePtr(name);
      default:
        return Promise.reject(new DnsError('ENOTIMP', name));
    }
  };
}

/** The system's DNS for mail checks, each answer (or failure) kept for the rest of the run. */
export function systemMailResolver({ timeoutMs = 5000, servers }: SystemResolverOptions = {}): MailResolver {
  return cachedResolver(mailResolverOf(systemDnsResolver({ timeoutMs, ...(servers ? { servers } : {}) })));
}

/** Remembers every answer, so a folder of mail from the same senders asks DNS once per name. */
export function cachedResolver(base: MailResolver): MailResolver {
  const answers = new Map<string, ReturnType<MailResolver>>();
  return (name, rrtype) => {
    const key = `${name.toLowerCase()} ${rrtype}`;
    let answer = answers.get(key);
    if (!answer) {
      answer = base(name, rrtype);
      answers.set(key, answer);
      answer.catch(() => undefined);
    }
    return answer;
  };
}

/** No network: every look-up is a temporary failure, so results read "could not verify", not "none". */
export const offlineResolver: MailResolver = (name) => Promise.reject(new DnsError('ECONNREFUSED', name));

/** Records by lowercase name, as memoryDnsResolver takes them. */
export type Zone = Record<string, ZoneEntry>;

/** Answers mail checks only from the zone; a name it lacks does not exist, as in an offline test. */
export function zoneResolver(zone: Readonly<Zone>): MailResolver {
  return mailResolverOf(memoryDnsResolver(zone));
}

/** Adds one record given as text: `TXT` (chunked as DNS returns it), `A`, `AAAA`, `NS`, `PTR`, `MX` (`10 mx.example`). */
export function addRecord(zone: Zone, name: string, rrtype: string, value: string): Zone {
  const entry = (zone[canonical(name)] ??= {});
  switch (rrtype.toUpperCase()) {
    case 'TXT':
      (entry.txt ??= []).push(chunk(value));
      break;
    case 'A':
    case 'AAAA':
    case 'NS':
    case 'PTR': {
      const field = rrtype.toLowerCase() as 'a' | 'aaaa' | 'ns' | 'ptr';
      (entry[field] ??= []).push(value.trim());
      break;
    }
    case 'MX': {
      const [priority, exchange] = value.trim().split(/\s+/);
      (entry.mx ??= []).push({ priority: Number(priority), exchange: exchange ?? '' });
      break;
    }
    default:
      throw new UserError(`DNS record type ${rrtype} for ${name} is not one breachdesk reads`);
  }
  return zone;
}

/**
 * A folder of captured records, one file per name (`selector._domainkey.example.com.dns`), each
 * line `type:value` (`txt:v=DKIM1; k=rsa; p=…`).
 */
export function readZoneFolder(dir: string): Zone {
  const zone: Zone = {};
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith('.dns'));
  } catch (error) {
    throw new UserError(
      `cannot read the DNS folder ${dir}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  for (const file of files) {
    const name = file.slice(0, -'.dns'.length);
    for (const line of readFileSync(join(dir, file), 'utf8').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon > 0) addRecord(zone, name, line.slice(0, colon).trim(), line.slice(colon + 1));
    }
  }
  return zone;
}

/** `system`, `offline`, or a folder of captured records (`name.dns` files): the CLI's `--dns`. */
export function mailResolverFor(choice: string): MailResolver {
  if (choice === 'system') return systemMailResolver();
  if (choice === 'offline') return offlineResolver;
  return zoneResolver(readZoneFolder(choice));
}

/** TXT records longer than 255 bytes come back from DNS in chunks; mailauth joins them. */
function chunk(record: string): string[] {
  const chunks: string[] = [];
  for (let at = 0; at < record.length; at += 255) chunks.push(record.slice(at, at + 255));
  return chunks.length > 0 ? chunks : [''];
}
