import type { Browser } from 'playwright-core';
import { UserError } from '../core/errors.js';

/** Prints a self-contained HTML page to PDF. */
export interface PdfPrinter {
  print(html: string): Promise<Uint8Array>;
}

export interface ChromiumPrinterOptions {
  executablePath?: string;
  /** For launching, loading and printing, each. */
  timeoutMs?: number;
}

/**
 * Headless Chromium, one browser per report (reports are rare; nothing stays running). JavaScript
 * is off and every request is aborted: the page is inline and must not reach the network.
 */
export function chromiumPrinter({
  executablePath = '/usr/bin/chromium',
  timeoutMs = 30_000,
}: ChromiumPrinterOptions = {}): PdfPrinter {
  return {
    async print(html: string): Promise<Uint8Array> {
      let browser: Browser;
      try {
        // Loaded on first use: every other command starts without playwright's ~0.3 s import.
        const { chromium } = await import('playwright-core');
        browser = await chromium.launch({
          executablePath,
          timeout: timeoutMs,
          // Chromium refuses its sandbox as root (containers); elsewhere it keeps it.
          args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
        });
      } catch (error) {
        throw new UserError(`cannot start Chromium at ${executablePath} to print the PDF`, {
          reason: firstLine(error),
        });
      }
      try {
        const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
        const page = await context.newPage();
        page.setDefaultTimeout(timeoutMs);
        await page.route('**/*', (route) => route.abort('blockedbyclient'));
        await page.setContent(html, { waitUntil: 'load', timeout: timeoutMs });
        return await withTimeout(
          page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }),
          timeoutMs,
          'printing the PDF',
        );
      } finally {
        await browser.close();
      }
    },
  };
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UserError(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
