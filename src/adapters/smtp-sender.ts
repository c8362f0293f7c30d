import type { KeyObject } from 'node:crypto';
import nodemailer from 'nodemailer';
import { UserError } from '../core/errors.js';
import { redact } from '../core/redact.js';

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
  /** Defaults well under the outbox lease, so a stalled server cannot outlive our claim. */
  timeouts?: { connectionMs?: number; greetingMs?: number; socketMs?: number };
}

/** A pooled SMTP connection; the URL is `smtp://[user:pass@]host:port` or `smtps://…`. */
export function createSmtpSender({
  url,
  maxConnections = 4,
  dkim,
  timeouts = {},
}: SmtpSenderOptions): MailSender {
  const target = parseSmtpUrl(url);
  const signing = dkim ? { dkim: dkimOption(dkim) } : {};
  const transport = nodemailer.createTransport({
    ...target,
    pool: true,
    maxConnections,
    connectionTimeout: timeouts.connectionMs ?? 30_000,
    greetingTimeout: timeouts.greetingMs ?? 30_000,
    socketTimeout: timeouts.socketMs ?? 60_000,
    maxMessages: Infinity,
    ...signing,
  });
  return {
    async send(message) {
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
    close: () => transport.close(),
  };
}

const SELECTOR = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i;

function dkimOption({ domainName, keySelector, privateKey }: DkimSigning) {
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
  // Sign#sign, which nodemailer calls with this value, takes a KeyObject; the types list only PEM.
  return { domainName, keySelector, privateKey: privateKey as unknown as string };
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
