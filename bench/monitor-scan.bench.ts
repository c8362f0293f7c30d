// Messages/s of `monitor scan` (mailparser, mailauth with an in-memory DNS zone, every signal,
// the verdict) on generated ~20 KB messages held in memory, next to the same run's floor: the
// same messages parsed by mailparser alone with the same options. Prints both and the ratio.
// Usage: npx tsx bench/monitor-scan.bench.ts [messages=1000] [--size BYTES]
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
const monitor = createMonitorService({ mailResolver: zoneResolver(sample.zone) });

async function timed(label: string, work: (raw: Buffer) => Promise<unknown>): Promise<number> {
  for (const raw of messages.slice(0, 50)) await work(raw);
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    for (const raw of messages) await work(raw);
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  const rate = messages.length / best;
  console.log(
    `${label.padEnd(40)} ${best.toFixed(2).padStart(6)} s ${Math.round(rate).toString().padStart(6)} messages/s`,
  );
  return rate;
}

console.log(
  `${messages.length} messages, average ${Math.round(bytes / messages.length / 1024)} KB, best of 3 rounds`,
);
const floor = await timed('parse floor (mailparser only)', (raw) => simpleParser(raw, PARSER_OPTIONS));
const scan = await timed('monitor scan (parse + auth + signals)', (raw) =>
  monitor.scan(raw, sample.identity),
);
console.log(`scan takes ${(floor / scan).toFixed(2)}x the parse floor's time per message`);
const rss = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(`peak RSS ${rss} MB`);
