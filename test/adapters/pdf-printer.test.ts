import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { chromiumPrinter } from '../../src/adapters/pdf-printer.js';

describe('the Chromium PDF printer', () => {
  it('prints a page without letting it reach the network, even with no CSP of its own', async () => {
    const requests: string[] = [];
    const server = createServer((request, response) => {
      requests.push(request.url ?? '');
      response.end('x');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const pdf = await chromiumPrinter({ timeoutMs: 20_000 }).print(
        `<!doctype html><html><head><link rel="stylesheet" href="${base}/style.css">
        <script src="${base}/app.js"></script></head>
        <body><h1>Printed</h1><img src="${base}/pixel.png"><iframe src="${base}/frame"></iframe>
        <script>fetch('${base}/beacon')</script></body></html>`,
      );
      expect(Buffer.from(pdf).subarray(0, 5).toString()).toBe('%PDF-');
      expect(requests).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('says which Chromium it could not start, in one line', async () => {
    await expect(
      chromiumPrinter({ executablePath: '/nonexistent/chromium' }).print('<p>x</p>'),
    ).rejects.toThrow(/^cannot start Chromium at \/nonexistent\/chromium to print the PDF$/);
  });
});
