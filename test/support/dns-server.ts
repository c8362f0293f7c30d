import { createSocket } from 'node:dgram';
import type { ZoneEntry } from '../../src/adapters/dns-resolver.js';

const TYPES = { A: 1, NS: 2, MX: 15, TXT: 16, AAAA: 28 } as const;

export interface DnsServer {
  address: string;
  stop(): Promise<void>;
}

/**
 * An authoritative DNS server on 127.0.0.1 over UDP answering from a zone, so the real resolver
 * (node:dns) is tested end to end without the internet: NXDOMAIN for unknown names, NODATA for a
 * missing type, and no answer at all for the `silent` names.
 */
export async function startDnsServer(
  zone: Readonly<Record<string, ZoneEntry>>,
  silent: readonly string[] = [],
): Promise<DnsServer> {
  const socket = createSocket('udp4');
  socket.on('message', (query, peer) => {
    const question = readQuestion(query);
    if (!question || silent.includes(question.name)) return;
    const entry = zone[question.name];
    const exists =
      entry !== undefined || Object.keys(zone).some((name) => name.endsWith(`.${question.name}`));
    const answers = entry ? records(entry, question.type) : [];
    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.readUInt16BE(0), 0);
    header.writeUInt16BE(0x8000 | 0x0400 | (query.readUInt16BE(2) & 0x0100) | 0x0080 | (exists ? 0 : 3), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    const body = answers.map((rdata) => {
      const fixed = Buffer.alloc(12);
      fixed.writeUInt16BE(0xc00c, 0);
      fixed.writeUInt16BE(question.type, 2);
      fixed.writeUInt16BE(1, 4);
      fixed.writeUInt32BE(60, 6);
      fixed.writeUInt16BE(rdata.length, 10);
      return Buffer.concat([fixed, rdata]);
    });
    socket.send(Buffer.concat([header, query.subarray(12, question.end), ...body]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

function readQuestion(query: Buffer): { name: string; type: number; end: number } | null {
  const labels: string[] = [];
  let at = 12;
  while (at < query.length && query[at] !== 0) {
    const length = query[at]!;
    labels.push(query.subarray(at + 1, at + 1 + length).toString('latin1'));
    at += 1 + length;
  }
  if (at + 5 > query.length) return null;
  return { name: labels.join('.').toLowerCase(), type: query.readUInt16BE(at + 1), end: at + 5 };
}

function records(entry: ZoneEntry, type: number): Buffer[] {
  switch (type) {
    case TYPES.A:
      return (entry.a ?? []).map((ip) => Buffer.from(ip.split('.').map(Number)));
    case TYPES.AAAA:
      return (entry.aaaa ?? []).map(ipv6);
    case TYPES.NS:
      return (entry.ns ?? []).map(encodeName);
    case TYPES.MX:
      return (entry.mx ?? []).map((mx) => {
        const priority = Buffer.alloc(2);
        priority.writeUInt16BE(mx.priority, 0);
        return Buffer.concat([priority, encodeName(mx.exchange)]);
      });
    case TYPES.TXT:
      return (entry.txt ?? []).map((chunks) =>
        Buffer.concat(
          chunks.map((chunk) => Buffer.concat([Buffer.from([chunk.length]), Buffer.from(chunk)])),
        ),
      );
    default:
      return [];
  }
}

function encodeName(name: string): Buffer {
  const parts = name.split('.').filter(Boolean);
  return Buffer.concat([
    ...parts.map((part) => Buffer.concat([Buffer.from([part.length]), Buffer.from(part)])),
    Buffer.from([0]),
  ]);
}

function ipv6(address: string): Buffer {
  const [head = '', tail = ''] = address.split('::');
  const left = head.split(':').filter(Boolean);
  const right = tail.split(':').filter(Boolean);
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const bytes = Buffer.alloc(16);
  groups.forEach((group, i) => bytes.writeUInt16BE(parseInt(group, 16), i * 2));
  return bytes;
}
