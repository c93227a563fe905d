import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutlivedEvidence } from '../../src/cadence/outlived-evidence.js';
import { mulberry32 } from '../../src/testing/mulberry32.js';

/** Ten equal bins: a task ends in each with probability 1/10. */
const uniform = Float64Array.from({ length: 10 }, () => 0.1);

/** A task read in every bin until it ends in bin `endBin` (or beyond the last, `bins`), as a tracked task moves. */
function live(evidence: OutlivedEvidence, endBin: number): void {
  let bin = -1;
  for (let next = 0; next < endBin; next++) {
    evidence.outlived(bin, next);
    bin = next;
  }
  if (endBin < uniform.length) evidence.ended();
}

describe('OutlivedEvidence', () => {
  it('rings when the tasks run past where the estimate says they end, and only once the evidence is there', () => {
    let alarms = 0;
    const evidence = new OutlivedEvidence(uniform.length, () => alarms++);
    evidence.fit(Float64Array.of(0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0)); // every task ends in the first two bins
    // Each task past them adds at most 3 expected endings at half weight: 1.5; the threshold is 12.
    for (let i = 0; i < 8; i++) live(evidence, 10);
    expect(alarms).toBe(0);
    live(evidence, 10);
    expect(alarms).toBe(1);
  });

  it('one task far in a tail is no evidence alone: a task counts at most 3 expected endings', () => {
    let alarms = 0;
    const evidence = new OutlivedEvidence(uniform.length, () => alarms++);
    // A task past the first bin outlives a 1e-12 chance: uncapped, −ln(1e-12) ≈ 27.6 expected endings, 13.8 at half weight.
    evidence.fit(Float64Array.of(1 - 1e-12, 1e-12, 0, 0, 0, 0, 0, 0, 0, 0));
    live(evidence, 10);
    expect(alarms).toBe(0);
  });

  it('endings count against it, and clear() starts again from none', () => {
    let alarms = 0;
    const evidence = new OutlivedEvidence(uniform.length, () => alarms++);
    evidence.fit(Float64Array.of(0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0));
    for (let i = 0; i < 7; i++) live(evidence, 10);
    for (let i = 0; i < 20; i++) evidence.ended();
    for (let i = 0; i < 8; i++) live(evidence, 10);
    expect(alarms).toBe(0);
    evidence.clear();
    for (let i = 0; i < 8; i++) live(evidence, 10);
    expect(alarms).toBe(0);
  });

  it('never rings on tasks that end as the estimate says, over 2,000 of them (property)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const random = mulberry32(seed);
        let alarms = 0;
        const evidence = new OutlivedEvidence(uniform.length, () => alarms++);
        evidence.fit(uniform);
        for (let i = 0; i < 2000; i++) live(evidence, Math.floor(random() * uniform.length));
        expect(alarms).toBe(0);
      }),
      { numRuns: 50 },
    );
  });
});
