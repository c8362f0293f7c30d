import SMTPConnection from 'nodemailer/lib/smtp-connection';

export interface SmtpTarget {
  host: string;
  port: number;
  secure: boolean;
  auth?: { user: string; pass: string };
}

export interface SmtpConnectionPoolOptions {
  target: SmtpTarget;
  maxConnections: number;
  timeouts: { connectionMs: number; greetingMs: number; socketMs: number };
}

export interface SmtpConnectionPool {
  /** Sends one composed message; resolves with the server's reply once it accepted the message. */
  send(envelope: { from: string; to: string[] }, raw: Buffer): Promise<{ response: string }>;
  close(): void;
}

interface Job {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  resolve: (reply: { response: string }) => void;
  reject: (error: Error) => void;
}

/**
 * Up to `maxConnections` SMTP sessions (nodemailer's SMTPConnection: STARTTLS when offered, AUTH,
 * timeouts), each sending one queued message after another as it is. Unlike nodemailer's pool this
 * builds no MIME tree per message: the bytes were composed before, so a message costs the protocol
 * and nothing else. A session the server refused or broke is closed, and the error goes to the
 * message it was opened or used for; one that rejected only a message is reset and kept.
 */
export function createSmtpConnectionPool({
  target,
  maxConnections,
  timeouts,
}: SmtpConnectionPoolOptions): SmtpConnectionPool {
  const queue: Job[] = [];
  const idle: SMTPConnection[] = [];
  let open = 0;
  let connecting = 0;
  let closed = false;

  const drop = (connection: SMTPConnection) => {
    const index = idle.indexOf(connection);
    if (index >= 0) idle.splice(index, 1);
  };

  const connect = () =>
    new Promise<SMTPConnection>((resolve, reject) => {
      const connection = new SMTPConnection({
        ...target,
        connectionTimeout: timeouts.connectionMs,
        greetingTimeout: timeouts.greetingMs,
        socketTimeout: timeouts.socketMs,
      });
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        connection.close();
        reject(error);
      };
      // After the handshake, errors reach the send callback; one while idle only retires the session.
      connection.on('error', (error: Error) => fail(error));
      connection.once('end', () => {
        open -= 1;
        drop(connection);
        fail(Object.assign(new Error('the server closed the connection'), { code: 'ECONNECTION' }));
        pump();
      });
      connection.connect((error) => {
        if (error) return fail(error);
        if (!target.auth || !connection.allowsAuth) {
          settled = true;
          return resolve(connection);
        }
        connection.login(target.auth, (error) => {
          if (error) return fail(error);
          settled = true;
          resolve(connection);
        });
      });
    });

  const run = (connection: SMTPConnection, job: Job) => {
    connection.send(job.envelope, job.raw, (error, info) => {
      if (!error) {
        release(connection);
        return job.resolve({ response: String(info?.response ?? '') });
      }
      const refusedMessage =
        (error.code === 'EENVELOPE' || error.code === 'EMESSAGE') &&
        error.responseCode !== 421 &&
        !connection.destroyed;
      if (refusedMessage)
        connection.reset((resetError) => (resetError ? connection.close() : release(connection)));
      else connection.close();
      job.reject(error);
    });
  };

  const release = (connection: SMTPConnection) => {
    if (connection.destroyed) return;
    if (closed) return connection.quit();
    const job = queue.shift();
    if (job) return run(connection, job);
    idle.push(connection);
  };

  const pump = () => {
    while (!closed && queue.length > 0 && idle.length > 0) run(idle.pop()!, queue.shift()!);
    while (!closed && queue.length > connecting && open < maxConnections) {
      open += 1;
      connecting += 1;
      connect().then(
        (connection) => {
          connecting -= 1;
          release(connection);
        },
        (error: Error) => {
          connecting -= 1;
          // The message this session was opened for learns why it could not be sent.
          queue.shift()?.reject(error);
          pump();
        },
      );
    }
  };

  return {
    send(envelope, raw) {
      if (closed) return Promise.reject(new Error('the SMTP sender is closed'));
      return new Promise((resolve, reject) => {
        queue.push({ envelope, raw, resolve, reject });
        pump();
      });
    },
    close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('the SMTP sender is closed'));
      for (const connection of idle.splice(0)) connection.quit();
    },
  };
}
