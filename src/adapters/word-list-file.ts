import { readFile } from 'node:fs/promises';
import { UserError } from '../core/errors.js';
import { parseWordList, type WordListKind } from '../core/lookalike-domains.js';
import { errorCode } from '../ingest/error-code.js';

/** Reads a `--dictionary` or `--tlds` file: one entry a line. */
export async function readWordListFile(path: string, kind: WordListKind): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read ${kind} file ${path}: ${errorCode(error) ?? 'unknown error'}`);
  }
  return parseWordList(text, kind, path);
}
