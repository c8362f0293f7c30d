import type { Clock } from '../adapters/clock.js';
import { authenticateMail } from '../adapters/mail-authenticator.js';
import { readMailInputs } from '../adapters/mail-inputs.js';
import { readMail } from '../adapters/mail-reader.js';
import { mailResolverFor, type MailResolver } from '../adapters/dns-resolver.js';
import { UserError } from '../core/errors.js';
import { judgeMail, prepareIdentity, type PreparedIdentity } from '../core/monitor/mail-verdict.js';
import {
  EMPTY_IDENTITY,
  IDENTITY_KINDS,
  isEmptyIdentity,
  parseBrandList,
  parseDomainList,
  type Identity,
  type IdentityKind,
} from '../core/monitor-identity.js';
import type { Verdict } from '../core/verdict.js';
import type { UnitOfWork } from '../db/repositories.js';
import { recordAudit } from './audit.js';

export interface MonitorDeps {
  /** Null when scanning without a database: the identity then comes with each call. */
  uow: UnitOfWork | null;
  clock: Clock;
  actor: string;
  resolver: MailResolver;
}

/** A verdict with the addresses it was about, for correlating with the leaked set. */
export interface MailScan extends Verdict {
  from: string | null;
  replyTo: string[];
  to: string[];
}

/** One line of `monitor scan` output: a verdict on a message, or why it could not be judged. */
export type ScanLine =
  | ({ file: string; message?: number; line?: number } & Verdict)
  | { file: string; message?: number; line?: number; error: string };

export interface IdentityInput {
  brands?: string | undefined;
  /** Both sending and link domains. */
  official?: string | undefined;
  sending?: string | undefined;
  links?: string | undefined;
  services?: string | undefined;
}

/** `system` (default), `offline`, or a folder of captured records (`name.dns` files). */
export type DnsChoice = string;

/** A long-running caller (`monitor listen`) sees an identity changed by another process this soon. */
const STORED_IDENTITY_TTL_MS = 60_000;

export class MonitorService {
  private prepared: { value: PreparedIdentity; at: number } | null = null;
  /** Identities passed by callers, prepared once each (brand patterns, look-alike targets). */
  private readonly preparedGiven = new WeakMap<Identity, PreparedIdentity>();

  constructor(private readonly deps: MonitorDeps) {}

  /** The stored identity; empty when none was set. */
  async identity(): Promise<Identity> {
    const uow = this.requireStore();
    const rows = await uow.repos.identity.list();
    const of = (kind: IdentityKind) => rows.filter((row) => row.kind === kind).map((row) => row.value);
    return {
      brands: of('brand'),
      sendingDomains: of('sending_domain'),
      linkDomains: of('link_domain'),
      sendingServices: of('sending_service'),
    };
  }

  /** Replaces the lists that are given and keeps the others. */
  async setIdentity(input: IdentityInput): Promise<Identity> {
    const uow = this.requireStore();
    const lists = identityLists(input);
    if (lists.size === 0) {
      throw new UserError('nothing to set: pass --brand, --official, --sending, --links or --services');
    }
    const now = this.deps.clock.now().toISOString();
    await uow.transaction(async (repos) => {
      for (const [kind, values] of lists) {
        await repos.identity.deleteKind(kind);
        await repos.identity.insertMany(
          values.map((value, position) => ({ kind, value, position, updated_at: now })),
        );
      }
      await recordAudit(repos, this.deps, 'identity.set', null, Object.fromEntries(lists));
    });
    this.prepared = null;
    return this.identity();
  }

  /** The verdict on one raw RFC 5322 message, against `identity` or the stored one. */
  async scan(raw: Buffer, identity?: Identity): Promise<Verdict> {
    const { verdict, score, reasons } = await this.inspect(raw, identity);
    return { verdict, score, reasons };
  }

  /** The verdict with the message's From, Reply-To and recipients. */
  async inspect(raw: Buffer, identity?: Identity): Promise<MailScan> {
    const prepared = identity ? this.prepare(identity) : await this.storedPrepared();
    return inspectWith(raw, prepared, this.deps.resolver);
  }

  /**
   * Every message under the paths (files, folders, mbox), one line each, in order. A message
   * that cannot be read or parsed becomes a line with its error; the run goes on.
   */
  async *scanFiles(
    paths: readonly string[],
    options: { identity?: Identity | undefined; dns?: DnsChoice | undefined } = {},
  ): AsyncGenerator<ScanLine> {
    if (paths.length === 0) throw new UserError('name at least one file or folder to scan');
    const identity = options.identity ?? (this.deps.uow ? await this.identity() : EMPTY_IDENTITY);
    if (isEmptyIdentity(identity)) {
      throw new UserError(
        'no identity to judge against: set one with `identity set --brand … --official …` or pass --brand and --official',
      );
    }
    const prepared = prepareIdentity(identity);
    const resolver = options.dns ? mailResolverFor(options.dns) : this.deps.resolver;
    for await (const input of readMailInputs(paths)) {
      const where = {
        file: input.file,
        ...(input.message ? { message: input.message, line: input.line } : {}),
      };
      if ('error' in input) {
        yield { ...where, error: input.error };
        continue;
      }
      try {
        const { verdict, score, reasons } = await inspectWith(input.raw, prepared, resolver);
        yield { ...where, verdict, score, reasons };
      } catch (error) {
        yield { ...where, error: describeFailure(error) };
      }
    }
  }

  private prepare(identity: Identity): PreparedIdentity {
    let prepared = this.preparedGiven.get(identity);
    if (!prepared) {
      prepared = prepareIdentity(identity);
      this.preparedGiven.set(identity, prepared);
    }
    return prepared;
  }

  private async storedPrepared(): Promise<PreparedIdentity> {
    const now = this.deps.clock.now().getTime();
    if (!this.prepared || now - this.prepared.at > STORED_IDENTITY_TTL_MS) {
      this.prepared = { value: prepareIdentity(await this.identity()), at: now };
    }
    return this.prepared.value;
  }

  private requireStore(): UnitOfWork {
    if (!this.deps.uow) throw new UserError('no database: the stored identity needs --db');
    return this.deps.uow;
  }
}

async function inspectWith(
  raw: Buffer,
  prepared: PreparedIdentity,
  resolver: MailResolver,
): Promise<MailScan> {
  const content = await readMail(raw);
  const auth = await authenticateMail(raw, { resolver });
  const verdict = judgeMail({ ...content, auth }, prepared);
  return {
    ...verdict,
    from: content.from?.address ?? null,
    replyTo: content.replyTo.map((address) => address.address),
    to: content.to,
  };
}

/** The identity given on the command line (`--brand`, `--official`…), or null when none was. */
export function identityFromOptions(input: IdentityInput): Identity | null {
  const lists = identityLists(input);
  if (lists.size === 0) return null;
  return {
    brands: lists.get('brand') ?? [],
    sendingDomains: lists.get('sending_domain') ?? [],
    linkDomains: lists.get('link_domain') ?? [],
    sendingServices: lists.get('sending_service') ?? [],
  };
}

function identityLists(input: IdentityInput): Map<IdentityKind, string[]> {
  const lists = new Map<IdentityKind, string[]>();
  if (input.brands !== undefined) lists.set('brand', parseBrandList(input.brands, '--brand'));
  const official = input.official !== undefined ? parseDomainList(input.official, '--official') : undefined;
  const sending = input.sending !== undefined ? parseDomainList(input.sending, '--sending') : undefined;
  const links = input.links !== undefined ? parseDomainList(input.links, '--links') : undefined;
  if (official || sending)
    lists.set('sending_domain', [...new Set([...(official ?? []), ...(sending ?? [])])]);
  if (official || links) lists.set('link_domain', [...new Set([...(official ?? []), ...(links ?? [])])]);
  if (input.services !== undefined)
    lists.set('sending_service', parseDomainList(input.services, '--services'));
  return new Map(IDENTITY_KINDS.filter((kind) => lists.has(kind)).map((kind) => [kind, lists.get(kind)!]));
}

function describeFailure(error: unknown): string {
  if (error instanceof UserError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return `could not be parsed: ${message.replace(/[\r\n]+/g, ' ').slice(0, 200)}`;
}
