/**
 * JavaScript the dashboard's first load transfers: the built dashboard served by the real server,
 * opened in Chromium, every script response summed (raw, and gzip as a compressing proxy would send
 * it), against the 500 KB budget and against every .js file in the build (what any later page
 * could still fetch). Usage: npx tsx bench/dashboard-size.ts
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { createSmtpSender } from '../src/adapters/smtp-sender.js';
import { createApp } from '../src/app.js';
import { DEFAULT_COMPANY } from '../src/config.js';
import { WEB_DIR } from '../src/http/dashboard-build.js';
import { buildServer } from '../src/http/server.js';

const BUDGET = 500 * 1024;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const dir = mkdtempSync(join(tmpdir(), 'breachdesk-size-'));
const webDist = join(dir, 'dist');
await build({
  root: WEB_DIR,
  configFile: join(WEB_DIR, 'vite.config.ts'),
  logLevel: 'warn',
  build: { outDir: webDist },
});
const app = await createApp({
  config: {
    db: join(dir, 'bd.db'),
    actor: 'bench',
    company: DEFAULT_COMPANY,
    key: { envKey: 'c'.repeat(64), keyFile: join(dir, 'k') },
  },
});
const server = await buildServer({
  app,
  sending: { connect: () => createSmtpSender({ url: 'smtp://127.0.0.1:1' }) },
  webDist,
});
const base = await server.listen({ port: 0, host: '127.0.0.1' });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
});
const scripts: { url: string; raw: number; gzip: number }[] = [];
try {
  const page = await browser.newPage();
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    void response.body().then((body) =>
      scripts.push({
        url: new URL(response.url()).pathname,
        raw: body.length,
        gzip: gzipSync(body).length,
      }),
    );
  });
  await page.goto(base, { waitUntil: 'networkidle' });
  await page.getByLabel('Email').waitFor({ timeout: 10_000 });
} finally {
  await browser.close();
  await server.close();
  await app.close();
}

const raw = scripts.reduce((sum, script) => sum + script.raw, 0);
const gzip = scripts.reduce((sum, script) => sum + script.gzip, 0);
const all = readdirSync(join(webDist, 'assets'))
  .filter((file) => file.endsWith('.js'))
  .reduce((sum, file) => sum + readFileSync(join(webDist, 'assets', file)).length, 0);
for (const script of scripts) console.log(`  ${script.url}: ${kb(script.raw)} raw, ${kb(script.gzip)} gzip`);
console.log(`first load: ${scripts.length} script(s), ${kb(raw)} raw, ${kb(gzip)} gzip`);
console.log(
  `budget 500 KB: raw is ${((raw / BUDGET) * 100).toFixed(0)}% of it, gzip ${((gzip / BUDGET) * 100).toFixed(0)}%`,
);
console.log(
  `every .js in the build: ${kb(all)} raw (first load fetched ${((raw / all) * 100).toFixed(0)}% of it)`,
);
if (raw > BUDGET) process.exitCode = 1;
