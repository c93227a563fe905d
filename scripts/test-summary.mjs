/**
 * Prints the closing line of `npm test` from vitest's JSON report: "vitest: N passed, N failed".
 * Exits 1 when the report is missing or counts no test at all, so a run that tested nothing fails.
 *
 *   node scripts/test-summary.mjs
 */
import { readFile } from 'node:fs/promises';

const report = JSON.parse(await readFile(new URL('../test-results/vitest.json', import.meta.url), 'utf8'));
const { numPassedTests: passed, numFailedTests: failed, numPendingTests: skipped, numTotalTests: total } = report;
console.log(`vitest: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (total === 0 || failed > 0) process.exitCode = 1;
