import type {} from '@fastify/cookie';
import type { MailSender } from '../adapters/smtp-sender.js';
import type { PaceSettings } from '../services/delivery.service.js';
import type { Caller } from '../services/caller.js';

/** What authentication found for a request; set before any handler of a signed-in route runs. */
export interface RequestSession {
  user: { email: string; role: Caller['role'] };
  /** Null for API tokens, which are exempt from CSRF (they are not sent by a browser on its own). */
  csrfToken: string | null;
  sessionHash: string | null;
}

/** How a send pass started from the API reaches the mail server (the `serve` flags). */
export interface SendSettings {
  connect(): MailSender;
  concurrency?: number;
  leaseMs?: number;
  pace?: PaceSettings;
}

declare module 'fastify' {
  interface FastifyRequest {
    session: RequestSession;
    caller: Caller | null;
  }
  interface FastifyInstance {
    sending: SendSettings;
  }
}
