// Precision, recall and the confusion matrix of `monitor scan` on a labelled folder of messages,
// and messages/s. Labels: a CSV/TSV file of `name,label` lines, label `phishing` (or `spam`,
// `malicious`) for bad mail and anything else (`legit`, `clean`, `ham`) for good mail. The identity
// comes from --identity FILE (JSON), --brand/--official, or DIR/identity.json; DNS from --dns DIR,
// else DIR/dns when present, else offline.
// Usage: npx tsx bench/monitor-eval.ts DIR --labels FILE [--identity FILE | --brand B --official D]
//        [--dns DIR|offline|system] [--show-errors]
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import {
  offlineResolver,
  readZoneFolder,
  systemMailResolver,
  zoneResolver,
} from '../src/adapters/dns-resolver.js';
import { createMonitorService } from '../src/app.js';
import type { Identity } from '../src/core/monitor-identity.js';
import type { VerdictName } from '../src/core/verdict.js';
import { identityFromOptions } from '../src/services/monitor.service.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const dir = args[0];
const labelsFile = option('--labels');
if (!dir || !labelsFile) {
  console.error(
    'usage: npx tsx bench/monitor-eval.ts DIR --labels FILE [--identity FILE | --brand B --official D] [--dns DIR]',
  );
  process.exit(2);
}

if (!existsSync(labelsFile)) {
  console.error(
    `monitor-eval: no labels file at ${labelsFile} (lines of "file,label": phishing or legitimate)`,
  );
  process.exit(2);
}
const labels = new Map<string, boolean>();
for (const line of readFileSync(labelsFile, 'utf8').split(/\r?\n/)) {
  const [name, label] = line.split(/[,\t]/).map((field) => field.trim());
  if (!name || !label || name === 'file') continue;
  labels.set(name, /^(phishing|spam|malicious|bad|1|true)$/i.test(label));
}

function loadIdentity(): Identity {
  const file =
    option('--identity') ??
    (existsSync(join(dir!, 'identity.json')) ? join(dir!, 'identity.json') : undefined);
  const given = identityFromOptions({
    brands: option('--brand'),
    official: option('--official'),
    services: option('--services'),
  });
  if (given) return given;
  if (file) return JSON.parse(readFileSync(file, 'utf8')) as Identity;
  console.error('no identity: pass --identity FILE or --brand and --official');
  process.exit(2);
}

const dns = option('--dns') ?? (existsSync(join(dir, 'dns')) ? join(dir, 'dns') : 'offline');
const resolver =
  dns === 'offline'
    ? offlineResolver
    : dns === 'system'
      ? systemMailResolver()
      : zoneResolver(readZoneFolder(dns));
const monitor = createMonitorService({ mailResolver: resolver });
const identity = loadIdentity();

const verdicts: VerdictName[] = ['phishing', 'suspicious', 'clean'];
const matrix = {
  bad: { phishing: 0, suspicious: 0, clean: 0 },
  good: { phishing: 0, suspicious: 0, clean: 0 },
};
const wrong: string[] = [];
let scanned = 0;
let errors = 0;
let unlabelled = 0;
const started = performance.now();
for await (const line of monitor.scanFiles([dir], { identity })) {
  const name = relative(dir, line.file) || basename(line.file);
  const key = line.message ? `${name}#${line.message}` : name;
  const bad = labels.get(key) ?? labels.get(basename(line.file));
  if (bad === undefined) {
    unlabelled++;
    continue;
  }
  if ('error' in line) {
    errors++;
    if (args.includes('--show-errors')) console.log(`error ${key}: ${line.error}`);
    continue;
  }
  scanned++;
  matrix[bad ? 'bad' : 'good'][line.verdict]++;
  const flagged = line.verdict !== 'clean';
  if (flagged !== bad)
    wrong.push(
      `${bad ? 'missed' : 'false alarm'}  ${key}  ${line.verdict} ${line.score}  ${line.reasons.map((r) => r.code).join(',')}`,
    );
}
const seconds = (performance.now() - started) / 1000;

const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : (a / b).toFixed(3));
const flaggedBad = matrix.bad.phishing + matrix.bad.suspicious;
const flaggedGood = matrix.good.phishing + matrix.good.suspicious;
const totalBad = flaggedBad + matrix.bad.clean;
console.log(`messages scanned ${scanned}, errors ${errors}, unlabelled ${unlabelled}`);
console.log('');
console.log(`${'truth \\ verdict'.padEnd(16)}${verdicts.map((v) => v.padStart(12)).join('')}`);
console.log(`${'phishing'.padEnd(16)}${verdicts.map((v) => String(matrix.bad[v]).padStart(12)).join('')}`);
console.log(`${'legitimate'.padEnd(16)}${verdicts.map((v) => String(matrix.good[v]).padStart(12)).join('')}`);
console.log('');
console.log(
  `flagged (phishing or suspicious): precision ${ratio(flaggedBad, flaggedBad + flaggedGood)}  recall ${ratio(flaggedBad, totalBad)}`,
);
console.log(
  `phishing verdict only:            precision ${ratio(matrix.bad.phishing, matrix.bad.phishing + matrix.good.phishing)}  recall ${ratio(matrix.bad.phishing, totalBad)}`,
);
console.log(
  `speed: ${Math.round((scanned + errors) / seconds)} messages/s (${seconds.toFixed(2)} s, files read from disk)`,
);
if (wrong.length > 0) {
  console.log('');
  for (const line of wrong) console.log(line);
}
