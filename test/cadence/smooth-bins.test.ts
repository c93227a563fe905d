import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationGrid } from '../../src/cadence/duration-grid.js';
import { smoothBins } from '../../src/cadence/smooth-bins.js';

/**
 * smoothBins written out plainly: each bin's window searched from `minHalfWidth` up until it holds
 * `minMass` (never wider than ±`maxShare` of the age), the windows' means, then scaled to the mass
 * inside the grid. The mass within a window is read from prefix sums as smoothBins reads it, so both
 * pick the same windows; the means may differ from its in the last bits.
 */
function smoothPlainly(edges: Float64Array, probabilities: Float64Array, minMass: number, minHalfWidth: number, maxShare: number): number[] {
  const bins = probabilities.length - 1;
  const prefix = [0];
  probabilities.forEach((p, k) => prefix.push(prefix[k]! + p));
  const windowOf = (k: number, h: number) => [Math.max(1, k - h), Math.min(bins - 1, k + h)] as const;
  const means = [];
  for (let k = 1; k < bins; k++) {
    const widest = Math.max(minHalfWidth, Math.floor((maxShare * edges[k]!) / (edges[k]! - edges[k - 1]!)));
    let h = minHalfWidth;
    for (; h < widest; h++) {
      const [from, to] = windowOf(k, h);
      if (prefix[to + 1]! - prefix[from]! >= minMass) break;
    }
    const [from, to] = windowOf(k, h);
    means.push((prefix[to + 1]! - prefix[from]!) / (to - from + 1));
  }
  const meansTotal = means.reduce((sum, m) => sum + m, 0);
  const scale = meansTotal > 0 ? (prefix[bins]! - probabilities[0]!) / meansTotal : 1;
  return [probabilities[0]!, ...means.map((m) => m * scale), probabilities[bins]!];
}

describe('smoothBins', () => {
  it('is the narrowest window holding the mass, whichever grid or settings were smoothed before (property)', () => {
    const gridArb = fc.record({ stepMs: fc.integer({ min: 100, max: 2000 }), growth: fc.constantFrom(0, 0.005, 0.05), horizonMs: fc.integer({ min: 5_000, max: 120_000 }) });
    const callArb = fc.record({
      grid: fc.nat(),
      seed: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 1, noNaN: true })), { minLength: 1, maxLength: 30 }),
      minMass: fc.double({ min: 0, max: 0.5, noNaN: true }),
      minHalfWidth: fc.integer({ min: 0, max: 8 }),
      maxShare: fc.constantFrom(0.1, 0.25, 0.5),
    });
    fc.assert(
      // Several calls in a row, on the same grids (the same arrays) and different ones, with different settings: what one call keeps must not leak into the next.
      fc.property(fc.array(gridArb, { minLength: 1, maxLength: 2 }), fc.array(callArb, { minLength: 1, maxLength: 6 }), (specs, calls) => {
        const grids = specs.map((spec) => durationGrid(spec).edges);
        for (const { grid, seed, minMass, minHalfWidth, maxShare } of calls) {
          const edges = grids[grid % grids.length]!;
          const raw = Float64Array.from({ length: edges.length + 1 }, (_, k) => seed[k % seed.length]!);
          const total = raw.reduce((sum, p) => sum + p, 0);
          const probabilities = raw.map((p) => (total > 0 ? p / total : 0));
          const expected = smoothPlainly(edges, probabilities, minMass, minHalfWidth, maxShare);
          const smoothed = smoothBins(edges, probabilities, minMass, minHalfWidth, maxShare);
          expect(smoothed.length).toBe(expected.length);
          expected.forEach((value, k) => expect(Math.abs(smoothed[k]! - value)).toBeLessThanOrEqual(1e-12 * Math.max(1e-300, Math.abs(value))));
        }
      }),
    );
  });

  it('keeps the total, and the entries at age 0 and beyond the grid, as they are', () => {
    const { edges } = durationGrid({ stepMs: 500, growth: 0.005, horizonMs: 200_000 });
    const probabilities = Float64Array.from({ length: edges.length + 1 }, (_, k) => (k === 0 ? 0.01 : k === edges.length ? 0.02 : k % 7 === 0 ? 1 : 0));
    const total = probabilities.reduce((sum, p) => sum + p, 0);
    const smoothed = smoothBins(edges, probabilities, 0.5, 8, 0.25);
    expect(smoothed.reduce((sum, p) => sum + p, 0)).toBeCloseTo(total, 9);
    expect(smoothed[0]).toBe(0.01);
    expect(smoothed[edges.length]).toBe(0.02);
    // Mass every 7th bin, smoothed over at least ±8 bins: no bin inside is left empty.
    expect(smoothed.subarray(1, edges.length).every((p) => p > 0)).toBe(true);
  });
});
