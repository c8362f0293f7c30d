import { readFile } from 'node:fs/promises';
import { UserError } from '../core/errors.js';
import { parseMappingJson } from '../core/field-mapping.js';
import type { FieldMapping } from '../core/field-mapping.js';
import { errorCode } from './error-code.js';

/** Reads a `--mapping` file: a JSON object of `"field": "category"`. */
export async function parseMappingFile(path: string): Promise<FieldMapping> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read mapping file ${path}: ${errorCode(error) ?? 'unknown error'}`);
  }
  return parseMappingJson(text, path);
}
