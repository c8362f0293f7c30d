import type { KeyObject } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { UserError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { createSigningPool, type SigningPool } from './signing-pool.js';

export interface OutgoingMessage {
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
}

export interface MailSender {
  send(message: OutgoingMessage): Promise<{ response: string }>;
  close(): void;
}

/** Signs every message with one key: `d=domainName`, `s=keySelector`, rsa-sha256, relaxed/relaxed. */
export interface DkimSigning {
  domainName: string;
  keySelector: string;
  /** Parsed once (see loadDkimKey): nodemailer would re-parse a PEM string for every message. */
  privateKey: KeyObject;
}

export interface SmtpSenderOptions {
  url: string;
  maxConnections?: number;
  dkim?: DkimSigning;
  /**
   * Threads that compose and sign DKIM messages beside the sending thread; default 0, signing on
   * it: measured on a two-core machine under load, the hand-over cost more than it saved.
   */
  signingThreads?: number;
  /** Defaults well under the outbox lease, so a stalled server cannot outlive our claim. */
  timeouts?: { connectionMs?: number; greetingMs?: number; socketMs?: number };
}

/** A pooled SMTP connection; the URL is `smtp://[user:pass@]host:port` or `smtps://…`. */
export function createSmtpSender({
  url,
  maxConnections = 4,
  dkim,
  signingThreads = 0,
  timeouts = {},
}: SmtpSenderOptions): MailSender {
  const target = parseSmtpUrl(url);
  const checked = dkim ? checkedDkim(dkim) : undefined;
  const signing =
    checked && signingThreads > 0 ? createSigningPool({ dkim: checked, threads: signingThreads }) : undefined;
  // Signed by nodemailer on this thread when no signing thread is wanted.
  const inline =
    checked && !signing
      ? // Sign#sign, which nodemailer calls with this value, takes a KeyObject; the types list only PEM.
        { dkim: { ...checked, privateKey: checked.privateKey as unknown as string } }
      : {};
  const transport = nodemailer.createTransport({
    ...target,
    pool: true,
    maxConnections,
    connectionTimeout: timeouts.connectionMs ?? 30_000,
    greetingTimeout: timeouts.greetingMs ?? 30_000,
    socketTimeout: timeouts.socketMs ?? 60_000,
    maxMessages: Infinity,
    ...inline,
  });
  return {
    async send(message) {
      if (signing) return sendSigned(transport, signing, message);
      const info = await transport.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.messageId,
        headers: message.headers,
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      return { response: String(info.response) };
    },
    close: () => {
      transport.close();
      signing?.close();
    },
  };
}

/** Composed and signed in a signing thread; the SMTP conversation carries the signed bytes as they are. */
async function sendSigned(
  transport: Transporter,
  signing: SigningPool,
  message: OutgoingMessage,
): Promise<{ response: string }> {
  const raw = await signing.compose(message);
  const info = await transport.sendMail({
    envelope: { from: message.from.address, to: [message.to] },
    raw,
  });
  return { response: String(info.response) };
}

const SELECTOR = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i;

function checkedDkim({ domainName, keySelector, privateKey }: DkimSigning): DkimSigning {
  // nodemailer signs rsa-sha256 only, and sends a message unsigned when signing throws.
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

function parseSmtpUrl(url: string) {
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
