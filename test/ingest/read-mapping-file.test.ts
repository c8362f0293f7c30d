import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../src/core/errors.js';
import { parseMappingFile } from '../../src/ingest/read-mapping-file.js';
import { temporaryFiles } from './dataset-files.js';

const files = temporaryFiles();

describe('parseMappingFile', () => {
  it('reads a JSON object of field to category', async () => {
    const path = await files.write('mapping.json', '{"plan": "usage", "Shoe Size": "health"}');
    expect(await parseMappingFile(path)).toEqual(
      new Map([
        ['plan', 'usage'],
        ['Shoe Size', 'health'],
      ]),
    );
  });

  it('names the file when it cannot be read or holds a bad entry', async () => {
    const missing = join(files.dir(), 'missing.json');
    const error: unknown = await parseMappingFile(missing).catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toBe(`cannot read mapping file ${missing}: ENOENT`);
    const bad = await files.write('mapping.json', '{"plan": "pricing"}');
    await expect(parseMappingFile(bad)).rejects.toThrow(
      `mapping file ${bad}: field "plan" has unknown category "pricing"`,
    );
  });
});
