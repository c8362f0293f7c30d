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

export interface SmtpSenderOptions {
  url: string;
  maxConnections?: number;
}

/** A pooled SMTP connection; the URL is `smtp://[user:pass@]host:port` or `smtps://…`. */
export function createSmtpSender({ url, maxConnections = 4 }: SmtpSenderOptions): MailSender {
  const target = parseSmtpUrl(url);
  // Timeouts well under the outbox lease, so a stalled server cannot outlive our claim.
  const transport = nodemailer.createTransport({
    ...target,
    pool: true,
    maxConnections,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
    maxMessages: Infinity,
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
