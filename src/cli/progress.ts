import type { DatasetProgress } from '../ingest/read-dataset.js';

/** A one-line progress meter on a terminal (rows, MB/s, ETA); nothing when output is not a TTY. */
export function terminalProgress(): ((progress: DatasetProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  const started = performance.now();
  return ({ bytesRead, totalBytes, rows }) => {
    const seconds = Math.max((performance.now() - started) / 1000, 0.001);
    const rate = bytesRead / seconds;
    const eta = rate > 0 ? Math.max(0, (totalBytes - bytesRead) / rate) : 0;
    const done = bytesRead >= totalBytes;
    const line = `  ${rows.toLocaleString('en-US')} rows · ${(rate / 1e6).toFixed(1)} MB/s · ${
      done ? 'done' : `ETA ${Math.ceil(eta)} s`
    }`;
    process.stderr.write(`\r${line.padEnd(60)}${done ? '\n' : ''}`);
  };
}
