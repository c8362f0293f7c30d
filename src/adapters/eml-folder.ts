import { constants } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { errorCode } from '../ingest/error-code.js';

export const MAX_EML_BYTES = 10 * 1024 * 1024;

/** One `.eml` file of the folder: its bytes, or why it was not read. */
export type EmlFile = { file: string; raw: Buffer } | { file: string; error: string };

const TOO_LARGE = 'larger than 10 MB';
const NOT_REGULAR = 'not a regular file';
// Non-blocking, so that a FIFO swapped in after the listing cannot hang the reader; no symlinks.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** The folder's `*.eml` files in name order; a file that cannot be read is reported, not skipped. */
export async function* readEmlFolder(dir: string): AsyncGenerator<EmlFile> {
  for (const entry of await emlEntries(dir)) {
    const file = join(dir, entry.name);
    yield entry.isFile() ? await readEml(file) : { file, error: NOT_REGULAR };
  }
}

async function emlEntries(dir: string) {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((entry) => /\.eml$/i.test(entry.name))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    throw new UserError(`folder ${dir} ${whyUnreadable(errorCode(error))}`, { folder: dir });
  }
}

function whyUnreadable(code: string | undefined): string {
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'ENOTDIR') return 'is not a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read: permission denied';
  return `cannot be read (${code ?? 'unknown error'})`;
}

async function readEml(file: string): Promise<EmlFile> {
  let handle: FileHandle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (error) {
    const code = errorCode(error);
    return { file, error: code === 'ELOOP' ? NOT_REGULAR : whyUnreadable(code) };
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { file, error: NOT_REGULAR };
    if (stat.size > MAX_EML_BYTES) return { file, error: TOO_LARGE };
    const raw = await readAtMost(handle, stat.size + 1);
    return raw.length > stat.size ? { file, error: 'changed while being read' } : { file, raw };
  } catch (error) {
    return { file, error: whyUnreadable(errorCode(error)) };
  } finally {
    await handle.close();
  }
}

async function readAtMost(handle: FileHandle, limit: number): Promise<Buffer> {
  const buffer = Buffer.alloc(limit);
  let length = 0;
  while (length < limit) {
    const { bytesRead } = await handle.read(buffer, length, limit - length, null);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  return buffer.subarray(0, length);
}
