// The per-record work of an import's encoding threads alone, in this process, without a database:
// raw batches of the first N lines of an NDJSON file parsed, read, hashed and sealed by
// `encodeRawBatch` (what `encode-worker.ts` runs), CPU seconds per round. With --against DIR, the
// same from another checkout (DIR holds its src/), rounds alternating, and a digest of each
// round's outcome (keys, counts, quarantine, and the opened addresses and values) that must be equal.
// Usage: npx tsx bench/encode-batch.bench.ts [N=200000] [--file people.ndjson] [--rounds 3] [--against DIR]
// The default file is the one bench/ingest-import.bench.ts N generates in the OS temp directory.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as SecretBoxModule from '../src/adapters/secret-box.js';
import type * as FormatSpecsModule from '../src/core/formats/format-specs.js';
import type * as ProfileRecordModule from '../src/core/profile-record.js';
import type * as RawBatchModule from '../src/ingest/raw-batch.js';
import type * as RecordEncoderModule from '../src/ingest/record-encoder.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};
const n = Number(args[0] && !args[0].startsWith('--') ? args[0] : 200_000);
const rounds = Number(option('--rounds') ?? 3);
const file = option('--file') ?? join(tmpdir(), `breachdesk-import-bench-${n}`, 'people.ndjson');
if (!existsSync(file)) {
  console.error(`${file} is missing: run bench/ingest-import.bench.ts ${n} first, or give --file`);
  process.exit(1);
}

interface Checkout {
  label: string;
  raw: typeof RawBatchModule;
  encoder: typeof RecordEncoderModule;
  reader: typeof ProfileRecordModule;
  formats: typeof FormatSpecsModule;
  box: SecretBoxModule.SecretBox;
}

async function load(label: string, root: string): Promise<Checkout> {
  const from = async <T>(path: string) => (await import(pathToFileURL(join(root, path)).href)) as T;
  const secrets = await from<typeof SecretBoxModule>('src/adapters/secret-box.ts');
  return {
    label,
    raw: await from('src/ingest/raw-batch.ts'),
    encoder: await from('src/ingest/record-encoder.ts'),
    reader: await from('src/core/profile-record.ts'),
    formats: await from('src/core/formats/format-specs.ts'),
    box: secrets.createSecretBox(Buffer.alloc(32, 0xbb)),
  };
}

/** The file's first n lines as raw batches, as the reader hands them to the threads. */
function batchesOf(checkout: Checkout, bytes: Buffer): RawBatchModule.RawBatch[] {
  const batches: RawBatchModule.RawBatch[] = [];
  let builder = new checkout.raw.RawBatchBuilder(undefined, 0);
  let start = 0;
  for (let ordinal = 0; ordinal < n && start < bytes.length; ordinal++) {
    const lf = bytes.indexOf(0x0a, start);
    const end = lf === -1 ? bytes.length : lf;
    const text = bytes.subarray(start, end);
    if (!builder.fits(text.length)) {
      batches.push(builder.take());
      builder = new checkout.raw.RawBatchBuilder(undefined, ordinal, text.length + 1);
    }
    builder.addText(ordinal + 1, start, text);
    start = end + 1;
  }
  batches.push(builder.take());
  return batches;
}

function round(checkout: Checkout, bytes: Buffer): { cpu: number; records: number; digest: string } {
  const batches = batchesOf(checkout, bytes);
  const reader = checkout.reader.createRecordReader({
    format: checkout.formats.FORMAT_SPECS['mixpanel-people'],
    orgKeys: ['org_id'],
    mapping: new Map(),
  });
  const encoder = new checkout.encoder.RecordEncoder(checkout.box);
  const started = process.cpuUsage();
  const outputs = batches.map((batch) => checkout.raw.encodeRawBatch(batch, reader, encoder));
  const used = process.cpuUsage(started);
  const digest = createHash('sha256');
  let records = 0;
  for (const { records: columns, values, ...rest } of outputs) {
    records += rest.read;
    const { emailSealed, ...keys } = columns;
    digest.update(JSON.stringify([rest, keys, values.ordinal, values.count]));
    digest.update(
      JSON.stringify(emailSealed.map((sealed) => (sealed === null ? null : checkout.box.open(sealed)))),
    );
    digest.update(
      JSON.stringify(
        values.sealed.map((sealed) =>
          checkout.box.open(typeof sealed === 'string' ? sealed : Buffer.from(sealed).toString('latin1')),
        ),
      ),
    );
  }
  return { cpu: (used.user + used.system) / 1e6, records, digest: digest.digest('hex').slice(0, 16) };
}

const bytes = readFileSync(file).subarray(0, n * 2048);
const checkouts = [await load('this tree', resolve(import.meta.dirname, '..'))];
const against = option('--against');
if (against) checkouts.push(await load('baseline', resolve(against)));
const cpu = new Map<string, number[]>(checkouts.map((c) => [c.label, []]));
for (let i = 0; i < rounds; i++) {
  for (const checkout of checkouts) {
    const result = round(checkout, bytes);
    cpu.get(checkout.label)!.push(result.cpu);
    const perRecord = ((result.cpu / result.records) * 1e6).toFixed(2);
    console.log(
      `${checkout.label.padEnd(10)} ${result.records} records  cpu ${result.cpu.toFixed(2)} s  ${perRecord} µs/record  outcome ${result.digest}`,
    );
  }
}
if (against) {
  const best = (label: string) => Math.min(...cpu.get(label)!);
  console.log(`best cpu ratio this tree / baseline: ${(best('this tree') / best('baseline')).toFixed(2)}`);
}
