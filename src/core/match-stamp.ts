import { createHash } from 'node:crypto';

/** What an incident's matching reads: its datasets, the directory's version, and the rules' own. */
export interface MatchInputs {
  rules: string;
  directoryVersion: string | null;
  datasets: readonly {
    id: string;
    sha256: string;
    rowsRead: number;
    rowsValid: number;
    orgKeys: string;
  }[];
}

/**
 * One hash of the inputs: equal stamps mean matching would rebuild the same matches and people.
 * Datasets are sorted by id so the order the database returns them in does not matter.
 */
export function matchStamp(inputs: MatchInputs): string {
  const datasets = [...inputs.datasets]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((d) => [d.id, d.sha256, d.rowsRead, d.rowsValid, d.orgKeys]);
  const canonical = JSON.stringify([inputs.rules, inputs.directoryVersion, datasets]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
