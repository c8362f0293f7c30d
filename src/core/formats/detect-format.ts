import type { FormatName, JsonObject } from './format-spec.js';
import { FORMAT_SPECS } from './format-specs.js';

/** Below this a format is a guess; the generic reader is the honest answer. */
const MIN_SCORE = 0.25;

/**
 * The format a sample of records fits best: per format, the best of its signatures' weight times
 * the share of records showing it. Records that fit nothing, or no records, read as generic.
 */
export function detectFormat(sample: readonly JsonObject[]): FormatName {
  let best: FormatName = 'generic';
  let bestScore = MIN_SCORE;
  if (sample.length === 0) return best;
  for (const spec of Object.values(FORMAT_SPECS)) {
    for (const { weight, test } of spec.signatures) {
      if (weight <= bestScore) continue;
      let hits = 0;
      for (const record of sample) if (test(record)) hits++;
      const score = (weight * hits) / sample.length;
      if (score > bestScore) {
        best = spec.name;
        bestScore = score;
      }
    }
  }
  return best;
}
