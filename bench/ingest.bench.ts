// Ingest and match throughput on a generated Mixpanel People export, against a baseline that only
// gunzips and JSON.parses the same file in the same process. Prints rows/s and peak RSS.
// Usage: npx tsx bench/ingest.bench.ts [profiles=200000] [--db postgres://…]
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { writeDemoCase } from '../src/adapters/demo-case.js';
import { createApp } from '../src/app.js';
import { DEFAULT_COMPANY } from '../src/config.js';
import { readDataset } from '../src/ingest/read-dataset.js';
import { DEFAULT_ORG_KEYS } from '../src/services/dataset.service.js';

const profiles = Number(process.argv[2] ?? 200_000);
const dbFlag = process.argv.indexOf('--db');
const dir = await mkdtemp(join(tmpdir(), 'breachdesk-bench-'));

async function timed<T>(
  label: string,
  rows: number,
  work: () => Promise<T>,
): Promise<{ seconds: number; result: T }> {
  const start = performance.now();
  const result = await work();
  const seconds = (performance.now() - start) / 1000;
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    `${label.padEnd(34)} ${seconds.toFixed(2).padStart(7)} s  ${Math.round(rows / seconds)
      .toString()
      .padStart(9)} rows/s  peak RSS ${rss} MB`,
  );
  return { seconds, result };
}

try {
  const files = await writeDemoCase(dir, {
    profiles,
    accounts: Math.round(profiles * 1.2),
    organizations: Math.max(1, Math.round(profiles / 5)),
  });
  console.log(`dataset: ${profiles} profiles, gzip NDJSON; database: ${dbFlag > 0 ? 'postgres' : 'sqlite'}`);

  const baseline = await timed('baseline gunzip + JSON.parse', profiles, async () => {
    let n = 0;
    const lines = createInterface({
      input: createReadStream(files.dataset).pipe(createGunzip()),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      try {
        JSON.parse(line);
      } catch {
        // malformed rows count too
      }
      n += 1;
    }
    return n;
  });
  const reader = await timed('readDataset (detect, parse, map)', profiles, async () => {
    const read = await readDataset(files.dataset, { format: 'auto', orgKeys: DEFAULT_ORG_KEYS });
    let n = 0;
    for await (const row of read.rows) n += row.ordinal > 0 ? 1 : 0;
    return n;
  });

  const db = dbFlag > 0 ? process.argv[dbFlag + 1]! : join(dir, 'bench.db');
  const app = await createApp({ config: { db, actor: 'bench', company: DEFAULT_COMPANY } });
  try {
    await app.vendors
      .add({ name: `Vendor ${Date.now()}`, categories: 'identifier' })
      .then((vendor) => app.incidents.open({ vendor: vendor.name, title: 'bench', exposed: 'identifier' }))
      .then(async (incident) => {
        await timed('directory import', Math.round(profiles * 1.2), () => app.directory.import(files));
        const imported = await timed('dataset import (into database)', profiles, () =>
          app.datasets.import({ incidentId: incident.id, path: files.dataset, format: 'auto' }),
        );
        await timed('match (SQL rules)', profiles, () => app.impact.rematch(incident.id));
        await timed('impact summary', profiles, () => app.impact.analyze(incident.id));
        console.log(
          `ratios vs baseline: reader ${(reader.seconds / baseline.seconds).toFixed(2)}x, import ${(imported.seconds / baseline.seconds).toFixed(2)}x`,
        );
      });
  } finally {
    await app.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
