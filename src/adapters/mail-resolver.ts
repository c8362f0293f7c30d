import { promises as dns } from 'node:dns';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';

/** mailauth's `resolver` option: answers like `dns.promises.resolve`, TXT as chunked strings. */
export type MailResolver = (name: string, rrtype: string) => Promise<string[][] | string[]>;

/** Records by lowercase name and upper-case type: `{ 'example.com': { TXT: ['v=spf1 -all'] } }`. */
export type Zone = Map<string, Map<string, string[]>>;

/** Answers only from the zone; anything else does not exist (ENOTFOUND), as in an offline test. */
export function zoneResolver(zone: Zone): MailResolver {
  return (name, rrtype) => {
    const records = zone.get(name.toLowerCase().replace(/\.$/, ''))?.get(rrtype.toUpperCase());
    if (!records || records.length === 0) return Promise.reject(notFound(name, rrtype));
    return Promise.resolve(
      rrtype.toUpperCase() === 'TXT' ? records.map((record) => chunk(record)) : [...records],
    );
  };
}

export function addRecord(zone: Zone, name: string, rrtype: string, value: string): Zone {
  const key = name.toLowerCase().replace(/\.$/, '');
  const byType = zone.get(key) ?? new Map<string, string[]>();
  zone.set(key, byType);
  const type = rrtype.toUpperCase();
  byType.set(type, [...(byType.get(type) ?? []), value]);
  return zone;
}

/**
 * A folder of captured records, one file per name (`selector._domainkey.example.com.dns`), each
 * line `type:value` (`txt:v=DKIM1; k=rsa; p=…`).
 */
export function readZoneFolder(dir: string): Zone {
  const zone: Zone = new Map();
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

/** The system's DNS with a timeout, each answer (or failure) kept for the rest of the run. */
export function systemMailResolver({ timeoutMs = 5000 }: { timeoutMs?: number } = {}): MailResolver {
  const resolver = new dns.Resolver({ timeout: timeoutMs, tries: 2 });
  return cachedResolver((name, rrtype) => resolver.resolve(name, rrtype) as Promise<string[][] | string[]>);
}

/** Remembers every answer, so a folder of mail from the same senders asks DNS once per name. */
export function cachedResolver(base: MailResolver): MailResolver {
  const answers = new Map<string, Promise<string[][] | string[]>>();
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
export const offlineResolver: MailResolver = (name, rrtype) => {
  const error: NodeJS.ErrnoException = new Error(`no DNS (offline) for ${rrtype} ${name}`);
  error.code = 'ECONNREFUSED';
  return Promise.reject(error);
};

function notFound(name: string, rrtype: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`no ${rrtype} record for ${name}`);
  error.code = 'ENOTFOUND';
  return error;
}

/** TXT records longer than 255 bytes come back from DNS in chunks; mailauth joins them. */
function chunk(record: string): string[] {
  const chunks: string[] = [];
  for (let at = 0; at < record.length; at += 255) chunks.push(record.slice(at, at + 255));
  return chunks.length > 0 ? chunks : [''];
}

/** `system`, `offline`, or a folder of captured records (`name.dns` files): the CLI's `--dns`. */
export function mailResolverFor(choice: string): MailResolver {
  if (choice === 'system') return systemMailResolver();
  if (choice === 'offline') return offlineResolver;
  return zoneResolver(readZoneFolder(choice));
}
