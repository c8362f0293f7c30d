/** A 2×2 table of counts: rows are the groups, columns the outcome (yes, no). */
export interface TwoByTwo {
  a: number;
  b: number;
  c: number;
  d: number;
}

export interface FisherResult {
  /** R's fisher.test default: the probability of tables no more likely than the one observed. */
  pTwoSided: number;
  /** The chance of `a` or more under independence: the first group has more of the outcome. */
  pGreater: number;
  /** The chance of `a` or fewer. */
  pLess: number;
}

// R's relative tolerance, so tables exactly as likely as the observed one count despite rounding.
const RELATIVE_TOLERANCE = 1 + 1e-7;

/**
 * Fisher's exact test of a 2×2 table, over the hypergeometric distribution of `a` with the margins
 * fixed. Probabilities come from log-factorials, so tables of millions stay finite; the sum runs
 * over the support of `a`, whose size is the smaller margin.
 */
export function fisherExact({ a, b, c, d }: TwoByTwo): FisherResult {
  for (const [name, value] of Object.entries({ a, b, c, d })) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`fisherExact: ${name} must be a non-negative integer`);
    }
  }
  const row1 = a + b;
  const row2 = c + d;
  const column1 = a + c;
  const low = Math.max(0, column1 - row2);
  const high = Math.min(row1, column1);
  const logDensity = (x: number) =>
    logChoose(row1, x) + logChoose(row2, column1 - x) - logChoose(row1 + row2, column1);
  const observed = logDensity(a);
  let twoSided = 0;
  let greater = 0;
  let less = 0;
  for (let x = low; x <= high; x++) {
    const logP = logDensity(x);
    const p = Math.exp(logP);
    if (logP <= observed + Math.log(RELATIVE_TOLERANCE)) twoSided += p;
    if (x >= a) greater += p;
    if (x <= a) less += p;
  }
  return { pTwoSided: clamp(twoSided), pGreater: clamp(greater), pLess: clamp(less) };
}

function clamp(p: number): number {
  return Math.min(1, Math.max(0, p));
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

const EXACT_UP_TO = 256;
const SMALL_LOG_FACTORIALS = (() => {
  const table = new Float64Array(EXACT_UP_TO + 1);
  for (let n = 2; n <= EXACT_UP_TO; n++) table[n] = (table[n - 1] ?? 0) + Math.log(n);
  return table;
})();

/** ln(n!): summed exactly up to 256, then Stirling's series, whose error there is below 1e-17. */
export function logFactorial(n: number): number {
  if (n <= EXACT_UP_TO) return SMALL_LOG_FACTORIALS[n] ?? 0;
  const inverse = 1 / n;
  const inverse2 = inverse * inverse;
  return (
    n * Math.log(n) -
    n +
    0.5 * Math.log(2 * Math.PI * n) +
    inverse * (1 / 12 - inverse2 * (1 / 360 - inverse2 * (1 / 1260 - inverse2 / 1680)))
  );
}
