import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface FlakyOptions {
  /** Chance that a recipient gets `421 try later` (temporary). */
  tempFailRate: number;
  /** Chance that a message is cut off mid-DATA by dropping the connection. */
  dropRate: number;
  /** Chance that the server stalls after DATA until the client gives up. */
  stallRate: number;
  /** Recipients refused for good with 550. */
  refuse: (address: string) => boolean;
  random: () => number;
}

export interface FlakySmtp {
  url: string;
  /** Message-IDs of the messages accepted with 250. */
  accepted: string[];
  close(): Promise<void>;
}

/** A real SMTP server on loopback that misbehaves on purpose, for fault tests. */
export async function startFlakySmtp(options: FlakyOptions): Promise<FlakySmtp> {
  const accepted: string[] = [];
  const sockets = new Map<number, Socket>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (options.refuse(address.address)) {
        return callback(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
      }
      if (options.random() < options.tempFailRate) {
        return callback(Object.assign(new Error('4.3.2 try again later'), { responseCode: 421 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      const roll = options.random();
      stream.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (roll < options.dropRate) sockets.get(session.remotePort)?.destroy();
      });
      stream.on('end', () => {
        // A dropped session accepted nothing, even when the whole message arrived before the drop.
        if (roll < options.dropRate) return;
        if (roll < options.dropRate + options.stallRate) return; // never answers
        const id = /^Message-ID: (.*)$/im.exec(Buffer.concat(chunks).toString('utf8'))?.[1];
        if (id) accepted.push(id.trim());
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  server.server.on('connection', (socket: Socket) => {
    if (socket.remotePort) sockets.set(socket.remotePort, socket);
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets.values()) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
