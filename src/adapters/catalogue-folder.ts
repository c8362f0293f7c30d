import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../core/errors.js';
import { parseRequirementCatalogue, type RequirementCatalogue } from '../core/requirement-catalogue.js';
import { errorCode } from '../ingest/error-code.js';

/** The requirement catalogues shipped with the package, found from this file so any working directory works. */
export function shippedCataloguesDir(): string {
  return fileURLToPath(new URL('../../catalogues/requirements', import.meta.url));
}

/** Every `*.json` catalogue of a folder, by name then version; two files with one name and version are an error. */
export function loadCatalogueFolder(dir: string = shippedCataloguesDir()): RequirementCatalogue[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch (error) {
    throw new UserError(`cannot read the catalogue folder ${dir}: ${errorCode(error) ?? 'unknown error'}`);
  }
  const catalogues = names.sort().map((name) => loadCatalogueFile(join(dir, name)));
  const seen = new Set<string>();
  for (const catalogue of catalogues) {
    const key = `${catalogue.name} v${catalogue.version}`;
    if (seen.has(key)) throw new UserError(`catalogue folder ${dir} holds ${key} twice`);
    seen.add(key);
  }
  return catalogues.sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
}

export function loadCatalogueFile(path: string): RequirementCatalogue {
  return parseRequirementCatalogue(readText(path, 'catalogue'), path);
}

/** The text of a file the user named, or a UserError naming it. */
export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read ${what} ${path}: ${errorCode(error) ?? 'unknown error'}`, {
      file: path,
    });
  }
}
