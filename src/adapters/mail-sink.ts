import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export interface MailSinkOptions {
  /** Folder that receives one `.eml` file per message. */
  dir: string;
  /** Decides a recipient's fate: return an SMTP error to reject it (e.g. `{code: 550, message}`). */
  rejectRecipient?: (address: string) => { code: number; message: string } | null;
  /** Require SMTP AUTH with these credentials (over plain TCP: loopback tests only). */
  auth?: { user: string; pass: string };
}

export interface MailSink {
  url: string;
  received(): number;
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 that stores what it receives: for the demo and for tests. */
export async function startMailSink({ dir, rejectRecipient, auth }: MailSinkOptions): Promise<MailSink> {
  await mkdir(dir, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: !auth,
    allowInsecureAuth: true,
    disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    onAuth(credentials, _session, callback) {
      if (auth && credentials.username === auth.user && credentials.password === auth.pass) {
        return callback(null, { user: credentials.username });
      }
      callback(new Error('invalid credentials'));
    },
    logger: false,
    size: 10 * 1024 * 1024,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const rejection = rejectRecipient?.(address.address);
      if (!rejection) return callback();
      callback(Object.assign(new Error(rejection.message), { responseCode: rejection.code }));
    },
    onData(stream, _session, callback) {
      const file = join(dir, `${String(++count).padStart(6, '0')}.eml`);
      // A message cut off mid-DATA was not received: no partial file is left behind.
      pipeline(stream, createWriteStream(file)).then(
        () => callback(),
        (error: Error) => void rm(file, { force: true }).finally(() => callback(error)),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // A client that drops its connection (a killed sender) is the client's problem, not the server's.
  server.on('error', () => undefined);
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
