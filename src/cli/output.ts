import { once } from 'node:events';
import type { Command } from 'commander';
import { createApp, type App } from '../app.js';
import { loadConfig } from '../config.js';

export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Writes a stream of lines, waiting when the reader is slower, so memory stays flat. */
export async function printLines(lines: AsyncIterable<string>): Promise<void> {
  for await (const line of lines) {
    if (!process.stdout.write(`${line}\n`)) await once(process.stdout, 'drain');
  }
}

export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}

export function printError(message: string, context: Readonly<Record<string, string | number>> = {}): void {
  const extra = Object.entries(context).map(([key, value]) => `  ${key}: ${value}`);
  process.stderr.write([`breachdesk: ${message}`, ...extra].join('\n') + '\n');
}

/** Builds the app from the global options, runs one service call, always closes the database. */
export async function withApp<T>(command: Command, work: (app: App) => Promise<T>): Promise<T> {
  const globals = command.optsWithGlobals<{ db?: string; config?: string }>();
  const app = await createApp({ config: loadConfig({ db: globals.db, configFile: globals.config }) });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}
