import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_EML_BYTES, readEmlFolder } from '../../src/adapters/eml-folder.js';
import type { EmlFile } from '../../src/adapters/eml-folder.js';
import { isUserError } from '../../src/core/errors.js';
import { parseDeliveryReport } from '../../src/core/delivery-report.js';

const folder = () => mkdtempSync(join(tmpdir(), 'breachdesk-eml-'));

async function readAll(dir: string): Promise<EmlFile[]> {
  const files: EmlFile[] = [];
  for await (const file of readEmlFolder(dir)) files.push(file);
  return files;
}

async function failureOf(dir: string): Promise<unknown> {
  try {
    await readAll(dir);
  } catch (error) {
    return error;
  }
  throw new Error('expected readEmlFolder to fail');
}

describe('reading a folder of .eml files', () => {
  it('yields the .eml files in name order with their bytes, and nothing else', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'b.eml'), 'second');
    writeFileSync(join(dir, 'a.eml'), Buffer.from([0xff, 0x00, 0x41]));
    writeFileSync(join(dir, 'c.EML'), 'third');
    writeFileSync(join(dir, 'notes.txt'), 'not mail');
    writeFileSync(join(dir, 'a.eml.bak'), 'not mail either');
    expect(await readAll(dir)).toEqual([
      { file: join(dir, 'a.eml'), raw: Buffer.from([0xff, 0x00, 0x41]) },
      { file: join(dir, 'b.eml'), raw: Buffer.from('second') },
      { file: join(dir, 'c.EML'), raw: Buffer.from('third') },
    ]);
  });

  it('reads an empty folder as no files', async () => {
    expect(await readAll(folder())).toEqual([]);
  });

  it('reports a file larger than 10 MB instead of reading it, and goes on', async () => {
    const dir = folder();
    truncateSync(makeFile(join(dir, 'huge.eml')), MAX_EML_BYTES + 1);
    truncateSync(makeFile(join(dir, 'just-fits.eml')), MAX_EML_BYTES);
    writeFileSync(join(dir, 'small.eml'), 'ok');
    const files = await readAll(dir);
    expect(files.map((f) => ('error' in f ? [f.file, f.error] : [f.file, f.raw.length]))).toEqual([
      [join(dir, 'huge.eml'), 'larger than 10 MB'],
      [join(dir, 'just-fits.eml'), MAX_EML_BYTES],
      [join(dir, 'small.eml'), 2],
    ]);
  });

  it('reports a folder, a symbolic link or a FIFO named .eml as not a regular file', async () => {
    const dir = folder();
    mkdirSync(join(dir, 'folder.eml'));
    writeFileSync(join(dir, 'target.txt'), 'secret');
    symlinkSync(join(dir, 'target.txt'), join(dir, 'link.eml'));
    execFileSync('mkfifo', [join(dir, 'pipe.eml')]);
    expect(await readAll(dir)).toEqual([
      { file: join(dir, 'folder.eml'), error: 'not a regular file' },
      { file: join(dir, 'link.eml'), error: 'not a regular file' },
      { file: join(dir, 'pipe.eml'), error: 'not a regular file' },
    ]);
  });

  it('fails with a UserError naming the folder when it does not exist', async () => {
    const dir = join(folder(), 'missing');
    const error = await failureOf(dir);
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toBe(`folder ${dir} does not exist`);
  });

  it('fails with a UserError naming the folder when it is a file', async () => {
    const file = join(folder(), 'bounce.eml');
    writeFileSync(file, 'x');
    const error = await failureOf(file);
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toBe(`folder ${file} is not a folder`);
  });

  it('feeds every DSN fixture to the parser: bounces parse, the rest are not bounces', async () => {
    const dir = fileURLToPath(new URL('../fixtures/dsn/', import.meta.url));
    const kinds: Record<string, string> = {};
    for await (const entry of readEmlFolder(dir)) {
      if ('error' in entry) throw new Error(`${entry.file}: ${entry.error}`);
      const name = entry.file.slice(dir.length).replace(/^\//, '');
      kinds[name] = parseDeliveryReport(entry.raw)?.kind ?? 'not a bounce';
    }
    expect(kinds).toEqual({
      'exim-failed.eml': 'dsn',
      'forwarded-phish.eml': 'not a bounce',
      'gmail-address-not-found.eml': 'dsn',
      'human-reply.eml': 'not a bounce',
      'm365-recipient-not-found.eml': 'dsn',
      'normal-message.eml': 'not a bounce',
      'out-of-office.eml': 'not a bounce',
      'plain-mail-delivery-subsystem.eml': 'heuristic',
      'postfix-delayed.eml': 'dsn',
      'postfix-headers-only.eml': 'dsn',
      'postfix-user-unknown.eml': 'dsn',
      'qmail-failure-notice.eml': 'heuristic',
      'read-receipt.eml': 'not a bounce',
      'sendmail-multi-recipient.eml': 'dsn',
    });
  });
});

function makeFile(path: string): string {
  writeFileSync(path, '');
  return path;
}
