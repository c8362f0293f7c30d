import type { DnsResolver } from '../adapters/dns-resolver.js';
import { dnsErrorCode } from '../adapters/dns-resolver.js';
import { readWordListFile } from '../adapters/word-list-file.js';
import { registrationOf, type LookupOutcome, type Registration } from '../core/domain-registration.js';
import { UserError } from '../core/errors.js';
import { FUZZERS, lookalikeDomains, type Fuzzer, type Lookalike } from '../core/lookalike-domains.js';

export interface LookalikeInput {
  domain: string;
  dictionaryFile?: string | undefined;
  tldsFile?: string | undefined;
  /** Comma-separated families (default all). */
  fuzzers?: string | undefined;
  /** Look every lookalike up in DNS. */
  resolve?: boolean | undefined;
  /** Keep only registered lookalikes (implies resolve). */
  registeredOnly?: boolean | undefined;
  /** Lookalikes checked at once (default 20). */
  concurrency?: number | undefined;
  onProgress?: ((checked: number, total: number, registered: number) => void) | undefined;
}

export interface CheckedLookalike extends Lookalike {
  dns?: Registration;
}

/** The lookalike watch: every permutation of a domain, and which of them are in use. No database. */
export class LookalikeService {
  constructor(private readonly deps: { resolver: DnsResolver }) {}

  async watch(input: LookalikeInput): Promise<CheckedLookalike[]> {
    const lookalikes = lookalikeDomains(input.domain, {
      dictionary: input.dictionaryFile ? await readWordListFile(input.dictionaryFile, 'dictionary') : [],
      tlds: input.tldsFile ? await readWordListFile(input.tldsFile, 'tlds') : [],
      fuzzers: input.fuzzers === undefined ? undefined : parseFuzzers(input.fuzzers),
    });
    if (!input.resolve && !input.registeredOnly) return lookalikes;
    const checked = await this.check(lookalikes, input);
    return input.registeredOnly ? checked.filter((l) => l.dns?.status === 'registered') : checked;
  }

  private async check(lookalikes: Lookalike[], input: LookalikeInput): Promise<CheckedLookalike[]> {
    const concurrency = input.concurrency ?? 20;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new UserError('--concurrency must be a whole number of at least 1');
    }
    const checked: CheckedLookalike[] = new Array<CheckedLookalike>(lookalikes.length);
    let next = 0;
    let done = 0;
    let registered = 0;
    const lane = async (): Promise<void> => {
      while (next < lookalikes.length) {
        const index = next++;
        const lookalike = lookalikes[index]!;
        const dns = await this.registration(lookalike.punycode);
        checked[index] = { ...lookalike, dns };
        done++;
        if (dns.status === 'registered') registered++;
        input.onProgress?.(done, lookalikes.length, registered);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, lookalikes.length) }, lane));
    return checked;
  }

  /** NS first: most lookalikes do not exist, and one NXDOMAIN answer settles that. */
  private async registration(name: string): Promise<Registration> {
    const { resolver } = this.deps;
    const ns = await outcome(resolver.resolveNs(name));
    if ('error' in ns && ns.error === 'ENOTFOUND') return registrationOf({ ns });
    const [a, aaaa, mx] = await Promise.all([
      outcome(resolver.resolve4(name)),
      outcome(resolver.resolve6(name)),
      outcome(
        resolver
          .resolveMx(name)
          .then((records) =>
            records.sort((x, y) => x.priority - y.priority).map((record) => record.exchange),
          ),
      ),
    ]);
    return registrationOf({ ns, a, aaaa, mx });
  }
}

async function outcome(lookup: Promise<string[]>): Promise<LookupOutcome> {
  try {
    return { records: await lookup };
  } catch (error) {
    const code = dnsErrorCode(error);
    if (code === undefined) throw error;
    return { error: code };
  }
}

function parseFuzzers(list: string): Fuzzer[] {
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(FUZZERS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new UserError(`--fuzzers: unknown family "${unknown[0] ?? ''}" (known: ${FUZZERS.join(', ')})`);
  }
  return names as Fuzzer[];
}
