import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cadenceGrid, edgeAtOrBelow } from '../../src/cadence/duration-grid.js';
import { priorProbabilities, resolvePrior } from '../../src/cadence/duration-prior.js';
import { RunningTasks } from '../../src/cadence/running-tasks.js';

const bins = cadenceGrid.edges.length + 1;
const binOf = (ageMs: number) => Math.min(bins - 1, edgeAtOrBelow(cadenceGrid, ageMs) + 1);
/** A known distribution on the grid: a log-normal prior of a given median and σ. */
const known = fc
  .record({ medianMs: fc.integer({ min: 5000, max: 1_200_000 }), sigma: fc.double({ min: 0.2, max: 1.5, noNaN: true }) })
  .map(({ medianMs, sigma }) => priorProbabilities(resolvePrior({ medianMs, sigma })));
const ages = fc.array(fc.integer({ min: 1, max: 3 * 3_600_000 }), { minLength: 1, maxLength: 50 });

describe('RunningTasks', () => {
  it('changes nothing while no task runs, and counts each task once however often it moves', () => {
    const running = new RunningTasks(cadenceGrid);
    const p = priorProbabilities(resolvePrior({}));
    expect(running.foldInto(p, 10)).toBe(p);
    let bin = running.move(-1, 30_000);
    bin = running.move(bin, 45_000);
    bin = running.move(bin, 90_000);
    expect(running.size).toBe(1);
    running.remove(bin);
    running.remove(-1); // a task never counted
    expect(running.size).toBe(0);
    expect(running.foldInto(p, 10)).toBe(p);
  });

  it('only moves mass past the ages seen running: the known distribution keeps its shape on each side (property)', () => {
    fc.assert(
      fc.property(known, ages, fc.double({ min: 1, max: 500, noNaN: true }), (p, seen, weight) => {
        const running = new RunningTasks(cadenceGrid);
        for (const age of seen) running.move(-1, age);
        const folded = running.foldInto(p, weight);
        expect(folded.reduce((a, b) => a + b, 0)).toBeCloseTo(p.reduce((a, b) => a + b, 0), 9);
        const youngest = Math.min(...seen.map(binOf));
        const oldest = Math.max(...seen.map(binOf));
        // Below every running age the estimate is only scaled down by weight/(weight + running)…
        for (let k = 0; k < youngest; k++) expect(folded[k]).toBeCloseTo((p[k]! * weight) / (weight + seen.length), 12);
        // …beyond the oldest, the conditional distribution is the known one, unbiased.
        const tail = (q: Float64Array) => q.slice(oldest).reduce((a, b) => a + b, 0);
        for (let k = oldest; k < bins; k += 37) if (p[k]! > 1e-9) expect(folded[k]! / tail(folded)).toBeCloseTo(p[k]! / tail(p), 9);
      }),
      { numRuns: 40 },
    );
  });
});
