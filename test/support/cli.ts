import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const BIN = resolve('bin/breachdesk.js');
const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Extra environment (a key, an actor); the rest is this process's. */
  env?: Record<string, string>;
  /** The database flag; `null` runs without one. Default: `bd.db` in the folder. */
  db?: string | null;
}

/** Runs the real CLI as a user would, in its own process, in `dir`; never throws on an exit code. */
export async function runCli(
  dir: string,
  args: readonly string[],
  options: CliOptions = {},
): Promise<CliResult> {
  const db = options.db === undefined ? join(dir, 'bd.db') : options.db;
  const argv = [BIN, ...(db === null ? [] : ['--db', db]), ...args];
  try {
    const { stdout, stderr } = await run('node', argv, {
      cwd: dir,
      env: { ...process.env, ...options.env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
