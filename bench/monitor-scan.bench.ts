// Messages/s of `monitor scan` (mailparser, mailauth with an in-memory DNS zone, every signal,
// the verdict) on generated ~20 KB messages held in memory, next to the same run's floor: the
// same messages parsed by mailparser alone with the same options, and mailauth alone (the part of a
// scan no signal code can avoid). Prints each and the scan/floor ratio.
// Usage: npx tsx bench/monitor-scan.bench.ts [messages=1000] [--size BYTES]
import { cpus, loadavg } from 'node:os';
import { authenticate } from 'mailauth';
import { simpleParser } from 'mailparser';
import { PARSER_OPTIONS } from '../src/adapters/mail-reader.js';
import { zoneResolver } from '../src/adapters/mail-resolver.js';
import { createMonitorService } from '../src/app.js';
import { buildCorpus } from './monitor-corpus.js';

const wanted = Number(process.argv[2] ?? 1000);
const sizeAt = process.argv.indexOf('--size');
const size = sizeAt > 0 ? Number(process.argv[sizeAt + 1]) : 20_000;
const sample = await buildCorpus({ size });
const copies = Math.ceil(wanted / sample.messages.length);
const messages = Array.from({ length: copies }, () => sample.messages)
  .flat()
  .slice(0, wanted)
  .map((m) => m.raw);
const bytes = messages.reduce((sum, raw) => sum + raw.length, 0);
const resolver = zoneResolver(sample.zone);
const monitor = createMonitorService({ mailResolver: resolver });

/** Best of three rounds, by wall clock and by this process's CPU time (steadier on a shared machine). */
async function timed(
  label: string,
  work: (raw: Buffer) => Promise<unknown>,
): Promise<{ wall: number; cpu: number }> {
  for (const raw of messages.slice(0, 50)) await work(raw);
  let wall = Infinity;
  let cpu = Infinity;
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    const usage = process.cpuUsage();
    for (const raw of messages) await work(raw);
    const used = process.cpuUsage(usage);
    wall = Math.min(wall, (performance.now() - started) / 1000);
    cpu = Math.min(cpu, (used.user + used.system) / 1e6);
  }
  const rate = (seconds: number) =>
    Math.round(messages.length / seconds)
      .toString()
      .padStart(6);
  console.log(`${label.padEnd(40)} ${rate(wall)} messages/s wall ${rate(cpu)} messages/s of CPU`);
  return { wall, cpu };
}

console.log(
  `${messages.length} messages, average ${Math.round(bytes / messages.length / 1024)} KB, best of 3 rounds`,
);
const floor = await timed('parse floor (mailparser only)', (raw) => simpleParser(raw, PARSER_OPTIONS));
await timed('mailauth alone (SPF, DKIM, DMARC, ARC)', (raw) =>
  authenticate(raw, { resolver, trustReceived: true, disableBimi: true, mta: 'bench' }),
);
const scan = await timed('monitor scan (parse + auth + signals)', (raw) =>
  monitor.scan(raw, sample.identity),
);
console.log(
  `scan / floor time per message: ${(scan.wall / floor.wall).toFixed(2)}x wall, ${(scan.cpu / floor.cpu).toFixed(2)}x CPU`,
);
const rss = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(
  `peak RSS ${rss} MB; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${cpus().length} cores`,
);
