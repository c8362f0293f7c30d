import { existsSync } from 'node:fs';
import { mailResolverFor } from '../adapters/dns-resolver.js';
import type { Command } from 'commander';
import { createApp, type App } from '../app.js';
import { loadConfig } from '../config.js';
import { UserError } from '../core/errors.js';
import { isPostgresUrl } from '../core/redact.js';

export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Writes a stream of lines, waiting when the reader is slower, so memory stays flat. */
export async function printLines(lines: AsyncIterable<string>): Promise<void> {
  const out = process.stdout;
  let failure: NodeJS.ErrnoException | null = null;
  const onError = (error: NodeJS.ErrnoException) => {
    failure = error;
  };
  out.on('error', onError);
  try {
    for await (const line of lines) {
      if (failure || out.destroyed) break;
      if (!out.write(`${line}\n`)) await settled(out, ['drain', 'close', 'error']);
    }
  } finally {
    out.off('error', onError);
  }
  // A reader that goes away (`| head`) ends the export; it is not an error.
  const error = failure as NodeJS.ErrnoException | null;
  if (error && error.code !== 'EPIPE') throw error;
}

function settled(emitter: NodeJS.EventEmitter, events: string[]): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const event of events) emitter.off(event, done);
      resolve();
    };
    for (const event of events) emitter.once(event, done);
  });
}

export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}

/** One line on standard error, whatever the message holds. */
export function printError(message: string, context: Readonly<Record<string, string | number>> = {}): void {
  const extra = Object.entries(context).map(([key, value]) => `${key}: ${value}`);
  const line = [message, ...extra].join('; ').replace(/[\r\n]+/g, ' ');
  process.stderr.write(`breachdesk: ${line}\n`);
}

/**
 * Builds the app from the global options, runs one service call, always closes the database.
 * Only commands that start a case may create a SQLite file: a typo in --db must not silently
 * open an empty database.
 */
export async function withApp<T>(
  command: Command,
  work: (app: App) => Promise<T>,
  { create = false, dns }: { create?: boolean; dns?: string | undefined } = {},
): Promise<T> {
  const globals = command.optsWithGlobals<{ db?: string; config?: string }>();
  const config = loadConfig({ db: globals.db, configFile: globals.config });
  if (!create && !isPostgresUrl(config.db) && !existsSync(config.db)) {
    throw new UserError(
      `no database at ${config.db}: start with vendor add or directory import, or pass --db`,
    );
  }
  const app = await createApp({ config, mailResolver: dns ? mailResolverFor(dns) : undefined });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}
