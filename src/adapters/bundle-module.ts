import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const bundled = new Map<string, URL>();

/**
 * A TypeScript module of this package and everything it imports as one plain JavaScript module
 * (a `data:` URL, nothing written to disk), built once per process: a worker thread started from it
 * needs no TypeScript loader, which costs ~50 MB a thread. Only Node's own modules stay imports.
 */
export function bundleModule(entry: URL): URL {
  let url = bundled.get(entry.href);
  if (url === undefined) {
    const { outputFiles } = buildSync({
      entryPoints: [fileURLToPath(entry)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      logLevel: 'silent',
    });
    const code = outputFiles[0]!.text;
    url = new URL(`data:text/javascript;base64,${Buffer.from(code, 'utf8').toString('base64')}`);
    bundled.set(entry.href, url);
  }
  return url;
}
