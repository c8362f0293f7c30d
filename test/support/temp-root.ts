import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest's global setup: the tests' temp folders (databases, files, mail) go under one folder per
 * run, removed when the run ends, however vitest was started. The test processes inherit TMPDIR.
 */
export default function tempRoot(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'breachdesk-test-run.'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
