import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { UserError } from '../core/errors.js';
import type { MimeFields } from '../core/mime-message.js';
import { redact } from '../core/redact.js';
import { createMessageComposer } from './message-composer.js';
import { createSigningPool } from './signing-pool.js';
import { createSmtpConnectionPool, type SmtpTarget } from './smtp-connection-pool.js';

/** A notice as the sender takes it: the fields the MIME writer composes. */
export type OutgoingMessage = MimeFields;

export interface MailSender {
  send(message: OutgoingMessage): Promise<{ response: string }>;
  close(): void;
}

/** Signs every message with one key: `d=domainName`, `s=keySelector`, rsa-sha256, relaxed/relaxed. */
export interface DkimSigning {
  domainName: string;
  keySelector: string;
  /** Parsed once (see loadDkimKey), so signing a message parses no PEM. */
  privateKey: KeyObject;
}

export interface SmtpSenderOptions {
  url: string;
  maxConnections?: number;
  dkim?: DkimSigning;
  /** Threads that compose and DKIM-sign beside the sending thread; 0 signs on it (default: see defaultSigningThreads). */
  signingThreads?: number | undefined;
  /** Defaults well under the outbox lease, so a stalled server cannot outlive our claim. */
  timeouts?: { connectionMs?: number; greetingMs?: number; socketMs?: number };
}

/**
 * Signing threads when none are asked for: every core but the one that talks SMTP and records
 * results, and none on one core, where a hand-over would only add work.
 */
export function defaultSigningThreads(cores = availableParallelism()): number {
  return Math.min(Math.max(cores - 1, 0), 4);
}

/**
 * Pooled SMTP connections; the URL is `smtp://[user:pass@]host:port` or `smtps://…`. Messages are
 * composed (and signed) before the conversation, in signing threads or on this one, and the pool
 * carries their bytes as they are.
 */
export function createSmtpSender({
  url,
  maxConnections = 4,
  dkim,
  signingThreads,
  timeouts = {},
}: SmtpSenderOptions): MailSender {
  const target = parseSmtpUrl(url);
  const checked = dkim ? checkedDkim(dkim) : undefined;
  const threads = checked ? (signingThreads ?? defaultSigningThreads()) : 0;
  const signing = checked && threads > 0 ? createSigningPool({ dkim: checked, threads }) : undefined;
  const inline = createMessageComposer({ dkim: checked });
  const compose = signing
    ? // A signing thread that died must not fail every later notice: compose here instead.
      (message: OutgoingMessage) => signing.compose(message).catch(() => inline(message))
    : inline;
  const connections = createSmtpConnectionPool({
    target,
    maxConnections,
    timeouts: {
      connectionMs: timeouts.connectionMs ?? 30_000,
      greetingMs: timeouts.greetingMs ?? 30_000,
      socketMs: timeouts.socketMs ?? 60_000,
    },
  });
  return {
    async send(message) {
      const { raw, envelope } = await compose(message);
      return connections.send(envelope, raw);
    },
    close: () => {
      connections.close();
      signing?.close();
    },
  };
}

const SELECTOR = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i;

function checkedDkim({ domainName, keySelector, privateKey }: DkimSigning): DkimSigning {
  // The signers here (ours, and nodemailer's for the rest) are rsa-sha256 only: refuse any other key up front.
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'rsa') {
    const kind =
      privateKey.type === 'private' ? (privateKey.asymmetricKeyType ?? 'unknown') : privateKey.type;
    throw new UserError(`DKIM signing here is rsa-sha256: give an RSA private key (got: ${kind} key)`);
  }
  if (!SELECTOR.test(keySelector)) {
    throw new UserError(`DKIM selector "${keySelector}" must be DNS labels (letters, digits, hyphens)`);
  }
  if (!/^[^\s;=]+$/.test(domainName)) {
    throw new UserError(`DKIM domain "${domainName}" is not a domain name`);
  }
  return { domainName, keySelector, privateKey };
}

function parseSmtpUrl(url: string): SmtpTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`--smtp: "${redact(url)}" is not a URL like smtp://host:port`);
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new UserError(`--smtp: "${redact(url)}" must start with smtp:// or smtps://`);
  }
  const secure = parsed.protocol === 'smtps:';
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : secure ? 465 : 25,
    secure,
    ...(parsed.username
      ? { auth: { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } }
      : {}),
  };
}
