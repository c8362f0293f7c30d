// Prints the plain summary CI reads ("N passed, N failed") and exits non-zero on any failure.
// Failed lint/type checks count as failures; a vitest crash without results counts as one.
import { readFileSync } from 'node:fs';

const [file, checksFailedArg = '0', vitestStatusArg = '0'] = process.argv.slice(2);
const checksFailed = Number(checksFailedArg);
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const results = JSON.parse(readFileSync(file, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests;
  skipped = results.numPendingTests + results.numTodoTests;
  if (results.numFailedTestSuites > 0 && failed === 0) failed = results.numFailedTestSuites;
} catch {
  failed = 1;
}
if (Number(vitestStatusArg) !== 0 && failed === 0) failed = 1;
failed += checksFailed;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
