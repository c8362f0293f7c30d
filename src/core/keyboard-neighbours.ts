/** The digit and letter rows of the layouts whose slips typosquatters bet on. */
const LAYOUTS: readonly (readonly string[])[] = [
  ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'],
  ['1234567890', 'qwertzuiop', 'asdfghjkl', 'yxcvbnm'],
  ['1234567890', 'azertyuiop', 'qsdfghjklm', 'wxcvbn'],
];

/**
 * Keys next to each key on any of the layouts. Rows are staggered, so a key touches two keys of
 * the row above (same column and one to the right) and two of the row below (one to the left and
 * the same column), besides its left and right neighbours.
 */
export const KEYBOARD_NEIGHBOURS: ReadonlyMap<string, readonly string[]> = buildNeighbours();

function buildNeighbours(): Map<string, string[]> {
  const neighbours = new Map<string, Set<string>>();
  for (const rows of LAYOUTS) {
    rows.forEach((row, r) => {
      [...row].forEach((key, c) => {
        const around = [
          row[c - 1],
          row[c + 1],
          rows[r - 1]?.[c],
          rows[r - 1]?.[c + 1],
          c > 0 ? rows[r + 1]?.[c - 1] : undefined,
          rows[r + 1]?.[c],
        ];
        const set = neighbours.get(key) ?? new Set<string>();
        for (const other of around) if (other !== undefined) set.add(other);
        neighbours.set(key, set);
      });
    });
  }
  return new Map([...neighbours].map(([key, set]) => [key, [...set]]));
}
