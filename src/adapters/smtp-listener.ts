import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { UserError } from '../core/errors.js';

/** The SMTP envelope of one received message. */
export interface ListenerEnvelope {
  mailFrom: string | null;
  rcptTo: string[];
  remoteAddress: string;
}

export interface SmtpListenerOptions {
  /** Default 127.0.0.1; any other address needs `allowRemote`. */
  host?: string | undefined;
  /** 0 picks a free port. */
  port: number;
  allowRemote?: boolean | undefined;
  /** Larger messages are refused with `552 5.3.4`. Default 10 MiB. */
  maxBytes?: number | undefined;
  /** Connections at once; the next is told `421` to come back later. Default 20. */
  maxClients?: number | undefined;
  /** Recipients per message. Default 100. */
  maxRecipients?: number | undefined;
  /** A connection silent this long is closed. Default 30 s. */
  idleTimeoutMs?: number | undefined;
  /** No connection lasts longer than this, however busy, so a trickling sender cannot hold a slot. Default 10 min. */
  sessionTimeoutMs?: number | undefined;
  /** Stores one message; its answer (e.g. the stored id) goes into the `250` reply. A throw means `451`. */
  onMessage(raw: Buffer, envelope: ListenerEnvelope): Promise<string>;
  /** A message that could not be stored, for the operator's log; never carries message content. */
  onError?: ((error: unknown) => void) | undefined;
}

export interface SmtpListener {
  host: string;
  port: number;
  /** Stops accepting, lets connections finish (at most `graceMs`), then waits for every message being stored. */
  close(graceMs?: number): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** An SMTP server for the reporting address: no relaying, no auth, bounded in size, time and connections. */
export async function startSmtpListener(options: SmtpListenerOptions): Promise<SmtpListener> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && !options.allowRemote) {
    throw new UserError(
      `refusing to listen on ${host} without --allow-remote: run behind your MTA on 127.0.0.1, or allow it explicitly`,
    );
  }
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const sessionTimeoutMs = options.sessionTimeoutMs ?? 10 * 60_000;
  const inFlight = new Set<Promise<unknown>>();
  const sockets = new Set<Socket>();
  const server = new SMTPServer({
    name: 'breachdesk',
    banner: 'breachdesk reporting address',
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: maxBytes,
    maxClients: options.maxClients ?? 20,
    maxRecipients: options.maxRecipients ?? 100,
    socketTimeout: options.idleTimeoutMs ?? 30_000,
    closeTimeout: 5_000,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let length = 0;
      // Past the limit the rest is read and dropped: the client must reach the end of DATA to hear 552.
      stream.on('data', (chunk: Buffer) => {
        if (length + chunk.length <= maxBytes) chunks.push(chunk);
        length += chunk.length;
      });
      stream.once('error', (error) => callback(error));
      stream.once('end', () => {
        if (stream.sizeExceeded || length > maxBytes) {
          return callback(smtpError(552, `5.3.4 message too big: the limit is ${maxBytes} bytes`));
        }
        const envelope: ListenerEnvelope = {
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          rcptTo: session.envelope.rcptTo.map((recipient) => recipient.address),
          remoteAddress: session.remoteAddress,
        };
        const work = options.onMessage(Buffer.concat(chunks, length), envelope).then(
          (note) => callback(null, `2.0.0 ${note}`),
          (error: unknown) => {
            options.onError?.(error);
            callback(smtpError(451, '4.3.0 the message could not be stored, try again later'));
          },
        );
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work));
      });
    },
  });
  // A client that drops its connection or misbehaves is the client's problem, not the listener's.
  server.on('error', () => undefined);
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    const timer = setTimeout(() => socket.destroy(), sessionTimeoutMs);
    timer.unref();
    socket.once('close', () => {
      clearTimeout(timer);
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    const onListenError = (error: NodeJS.ErrnoException) =>
      reject(new UserError(`cannot listen on ${host}:${options.port}: ${error.code ?? error.message}`));
    server.server.once('error', onListenError);
    server.listen(options.port, host, () => {
      server.server.off('error', onListenError);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    host,
    port,
    async close(graceMs = 5_000) {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
      });
      await Promise.allSettled([...inFlight]);
    },
  };
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}
