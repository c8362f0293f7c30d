import { Resolver } from 'node:dns/promises';

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
        await new Promise((resolve) => setTimeout(resolve, delayMs));
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
  };
}

function canonical(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}
