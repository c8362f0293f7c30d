import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import { writeDemoCase } from '../../src/adapters/demo-case.js';
import { WEB_DIR } from '../../src/http/dashboard-build.js';
import { createHttpTestApp, PASSWORD, totpCode } from '../http/http-test-app.js';
import { testDialects } from '../support/databases.js';

const HOSTILE = '<img src=x onerror="window.__pwned=1">';
const SHOTS = join(import.meta.dirname, '../../.test-results/screenshots');
const WAIT = { timeout: 15_000 };

/** The dashboard built from the working tree into a temp folder (never the served web/dist). */
async function buildDashboard(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'breachdesk-web-'));
  await build({
    root: WEB_DIR,
    configFile: join(WEB_DIR, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

/** Delivered messages as (recipient, reference code), read back from the SMTP sink's files. */
async function delivered(dir: string): Promise<{ address: string; referenceCode: string }[]> {
  const messages = [];
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.eml'))) {
    const mail = await simpleParser(readFileSync(join(dir, name)));
    const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
    const reference = mail.headers.get('x-breachdesk-reference');
    messages.push({
      address: to?.value[0]?.address ?? '',
      referenceCode: typeof reference === 'string' ? reference : '',
    });
  }
  return messages;
}

/** Presses Tab until the focused control reads `name`: the control is reachable by keyboard. */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let presses = 0; presses < 60; presses++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate<string>('document.activeElement?.textContent ?? ""');
    if (focused.trim() === name) return;
  }
  throw new Error(`Tab never reached "${name}"`);
}

async function notPwned(page: Page, where: string): Promise<void> {
  expect(await page.evaluate('typeof window.__pwned'), where).toBe('undefined');
}

describe.each(testDialects())('the dashboard in Chromium on %s', (dialect) => {
  it('signs in with TOTP, shows the demo incident with charts, approves, sends, searches, verifies; hostile names stay text', async () => {
    const webDist = await buildDashboard();
    const t = await createHttpTestApp(dialect, { webDist });
    const { app } = t;

    // The demo case under a hostile file name, plus a vendor, an incident and an organization named as markup.
    const files = await writeDemoCase(join(app.dir, 'case'), {
      profiles: 100,
      accounts: 100,
      organizations: 10,
    });
    const organizations = readFileSync(files.organizations, 'utf8').split('\n');
    organizations[1] = organizations[1]!.replace(/,.*$/, `,"${HOSTILE.replaceAll('"', '""')}"`);
    writeFileSync(files.organizations, organizations.join('\n'));
    await app.directory.import(files);
    const demo = await app.incidents.open({
      vendor: 'Mixpanel',
      title: 'Demo analytics breach',
      exposed: 'identifier,name,email,location,device,referrer',
      awareAt: '2026-11-19T00:00:00Z',
    });
    const hostileFile = join(app.dir, `${HOSTILE}.ndjson.gz`);
    copyFileSync(files.dataset, hostileFile);
    await app.datasets.import({ incidentId: demo.id, path: hostileFile, format: 'auto' });
    await app.notices.plan(demo.id);
    await app.vendors.add({ name: HOSTILE, categories: 'email,name' });
    const hostile = await app.incidents.open({ vendor: HOSTILE, title: HOSTILE, exposed: 'email' });
    await app.incidents.decide(hostile.id, { decision: HOSTILE, reason: HOSTILE });

    const base = await t.server.listen({ port: 0, host: '127.0.0.1' });
    mkdirSync(SHOTS, { recursive: true });
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    });
    const problems: string[] = [];
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.setDefaultTimeout(WAIT.timeout);
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));

      // Signing in with the keyboard only: the email field has focus, Tab moves on, Enter submits.
      // From the sign-in form, which has the focus on its email field.
      const signIn = async (role: 'admin' | 'viewer') => {
        await page.getByLabel('Email').waitFor(WAIT);
        t.app.clock.advance(30_000);
        await page.keyboard.type(`${role}@breachdesk.test`);
        await page.keyboard.press('Tab');
        await page.keyboard.type(PASSWORD);
        await page.keyboard.press('Tab');
        await page.keyboard.type(totpCode(t.secrets[role], t.app.clock.now()));
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { name: 'Incidents' }).waitFor(WAIT);
      };
      await page.goto(base);
      await signIn('admin');
      await expect.poll(() => page.getByRole('cell', { name: HOSTILE }).count(), WAIT).toBeGreaterThan(0);
      await notPwned(page, 'incidents');
      await page.screenshot({ path: join(SHOTS, 'incidents.png'), fullPage: true });

      await page.getByRole('link', { name: 'Demo analytics breach' }).click();
      await page.getByRole('heading', { name: 'Demo analytics breach' }).waitFor(WAIT);
      for (const chart of [
        'People by exposed category',
        'People by country',
        'Organizations by impacted members',
      ]) {
        const figure = page.locator('figure', { hasText: chart });
        await expect.poll(() => figure.locator('svg rect').count(), WAIT).toBeGreaterThan(0);
      }
      await expect
        .poll(() => page.getByRole('cell', { name: `${HOSTILE}.ndjson.gz` }).count(), WAIT)
        .toBeGreaterThan(0);
      await notPwned(page, 'incident');
      await page.screenshot({ path: join(SHOTS, 'incident.png'), fullPage: true });

      // Approving and sending with the keyboard: Tab to the button, Enter.
      await tabTo(page, 'Approve notices');
      await page.keyboard.press('Enter');
      await page
        .getByRole('status')
        .filter({ hasText: /Approved \d+ notices/ })
        .waitFor(WAIT);
      await tabTo(page, 'Start sending');
      await page.keyboard.press('Enter');
      await page
        .getByTestId('notice-progress')
        .filter({ hasText: 'delivery done' })
        .waitFor({ timeout: 60_000 });
      const sent = Number(await page.getByTestId('notices-sent').textContent());
      expect(sent).toBeGreaterThan(0);
      expect(t.sink.received()).toBe(sent);
      await page.screenshot({ path: join(SHOTS, 'incident-sent.png'), fullPage: true });

      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: join(SHOTS, 'incident-phone.png'), fullPage: true });
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect(overflow, 'the phone page does not scroll sideways').toBeLessThanOrEqual(0);
      await page.setViewportSize({ width: 1280, height: 900 });

      // Every view with hostile data: the markup shows as text and runs nothing.
      await page.goto(`${base}/incidents/${hostile.id}`);
      await page.getByRole('heading', { name: HOSTILE }).waitFor(WAIT);
      await expect.poll(() => page.getByRole('cell', { name: HOSTILE }).count(), WAIT).toBe(2);
      await notPwned(page, 'hostile incident');
      for (const [path, heading] of [
        ['/vendors', 'Vendors'],
        ['/audit', 'Audit log'],
        ['/monitor', 'Monitor'],
      ] as const) {
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: heading }).click();
        await page.getByRole('heading', { name: heading, exact: true }).waitFor(WAIT);
        if (path !== '/monitor') {
          // The audit log shows details as JSON, where the quotes are escaped.
          await expect.poll(() => page.getByText('<img src=x onerror=').count(), WAIT).toBeGreaterThan(0);
        }
        await notPwned(page, path);
        await page.screenshot({ path: join(SHOTS, `${path.slice(1)}.png`), fullPage: true });
      }

      // A delivered message's recipient: the search shows its notice with the same reference code.
      const messages = await delivered(join(app.dir, 'mail'));
      let found: { address: string; referenceCode: string } | null = null;
      await page.goto(`${base}/search?incident=${demo.id}`);
      for (const message of messages.slice(0, 10)) {
        await page.getByLabel('Address or account id').fill(message.address);
        await page.getByRole('button', { name: 'Search' }).click();
        const answer = page.getByRole('table', { name: 'People found' }).or(page.getByRole('status'));
        await answer.first().waitFor(WAIT);
        if ((await page.getByRole('cell', { name: message.referenceCode }).count()) > 0) {
          found = message;
          break;
        }
      }
      expect(found, 'a delivered recipient is found with its reference code').not.toBeNull();
      await expect.poll(() => page.getByTestId('person-notice').first().textContent(), WAIT).toMatch(/^sent/);
      await page.screenshot({ path: join(SHOTS, 'search.png'), fullPage: true });

      await page.goto(`${base}/verify`);
      await page.getByLabel('Reference code').fill(found!.referenceCode);
      await page.getByLabel('Your email address').fill(found!.address);
      await page.getByRole('button', { name: 'Check' }).click();
      await page.getByRole('heading', { name: /^Genuine/ }).waitFor(WAIT);
      await page.screenshot({ path: join(SHOTS, 'verify.png'), fullPage: true });

      // A viewer: the same pages without the buttons, and a search without address or code.
      await page.goto(base);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await signIn('viewer');
      await page.goto(`${base}/incidents/${demo.id}`);
      await page.getByRole('heading', { name: 'Notices' }).waitFor(WAIT);
      expect(await page.getByRole('button', { name: 'Approve notices' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Start sending' }).count()).toBe(0);
      await page.goto(`${base}/search?incident=${demo.id}`);
      await page.getByLabel('Address or account id').fill(found!.address);
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('table', { name: 'People found' }).waitFor(WAIT);
      expect(await page.getByRole('cell', { name: '(withheld)' }).count()).toBeGreaterThan(0);
      expect(await page.getByText(found!.referenceCode).count()).toBe(0);
      expect(await page.getByRole('cell', { name: found!.address }).count()).toBe(0);
    } finally {
      await browser.close();
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
