import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { looksLikeMbox, splitMbox } from '../core/monitor/split-mbox.js';
import { errorCode } from '../ingest/error-code.js';

/** One message to scan, or why a file could not give one. `message` numbers messages of an mbox. */
export type MailInput =
  | { file: string; message?: number; line?: number; raw: Buffer }
  | { file: string; message?: number; line?: number; error: string };

export const INPUT_LIMITS = {
  messageBytes: 32 * 1024 * 1024,
  mboxBytes: 512 * 1024 * 1024,
} as const;

const MAIL_FILE = /\.(eml|mbox)$/i;
// Non-blocking, so that a FIFO cannot hang the reader; no symlinks.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Messages from files and folders, in order: a folder is walked for `.eml` and `.mbox` files
 * (name order, symlinks not followed); a file named directly is read whatever its name. An
 * mbox yields each of its messages. Nothing unreadable stops the walk: it becomes an error item.
 */
export async function* readMailInputs(paths: readonly string[]): AsyncGenerator<MailInput> {
  for (const path of paths) yield* readPath(path, true);
}

async function* readPath(path: string, named: boolean): AsyncGenerator<MailInput> {
  let stat;
  try {
    stat = await lstat(path);
  } catch (error) {
    yield { file: path, error: whyUnreadable(errorCode(error)) };
    return;
  }
  if (stat.isDirectory()) {
    let entries;
    try {
      entries = await readdir(path, { withFileTypes: true });
    } catch (error) {
      yield { file: path, error: whyUnreadable(errorCode(error)) };
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.isDirectory()) yield* readPath(join(path, entry.name), false);
      else if (MAIL_FILE.test(entry.name)) yield* readPath(join(path, entry.name), false);
    }
    return;
  }
  if (!stat.isFile()) {
    if (named) yield { file: path, error: 'not a regular file' };
    return;
  }
  const limit = /\.mbox$/i.test(path) ? INPUT_LIMITS.mboxBytes : INPUT_LIMITS.messageBytes;
  const content = await readFileAtMost(path, limit);
  if ('error' in content) {
    yield { file: path, error: content.error };
    return;
  }
  if (!looksLikeMbox(content.raw)) {
    yield { file: path, raw: content.raw };
    return;
  }
  let message = 0;
  for (const cut of splitMbox(content.raw)) {
    message++;
    yield cut.raw.length > INPUT_LIMITS.messageBytes
      ? { file: path, message, line: cut.line, error: 'message larger than 32 MB' }
      : { file: path, message, line: cut.line, raw: cut.raw };
  }
}

async function readFileAtMost(path: string, limit: number): Promise<{ raw: Buffer } | { error: string }> {
  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    const code = errorCode(error);
    return { error: code === 'ELOOP' ? 'not a regular file' : whyUnreadable(code) };
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { error: 'not a regular file' };
    if (stat.size > limit) return { error: `larger than ${Math.round(limit / 1024 / 1024)} MB` };
    const buffer = Buffer.alloc(stat.size);
    let length = 0;
    while (length < stat.size) {
      const { bytesRead } = await handle.read(buffer, length, stat.size - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return { raw: buffer.subarray(0, length) };
  } catch (error) {
    return { error: whyUnreadable(errorCode(error)) };
  } finally {
    await handle.close();
  }
}

function whyUnreadable(code: string | undefined): string {
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read: permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return `cannot be read (${code ?? 'unknown error'})`;
}
