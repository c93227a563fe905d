import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cadenceGrid, edgeAtOrBelow } from '../../src/cadence/duration-grid.js';
import { FirstGapShape } from '../../src/cadence/first-gap-shape.js';
import { binProbabilities, logNormalCdf } from '../../src/cadence/log-normal.js';
import { mulberry32 } from '../../src/testing/mulberry32.js';

const { edges } = cadenceGrid;

/** A shape that knows nothing: uniform over the first 200 s. */
const uninformed = () => binProbabilities(edges, (ms) => Math.min(1, ms / 200_000));

/** The mean lag of tasks that end inside `(0, gapEndMs]` and are seen at `gapEndMs`, under bin probabilities. */
function lagInGap(bins: Float64Array, gapEndMs: number): number {
  const last = edgeAtOrBelow(cadenceGrid, gapEndMs);
  let mass = 0;
  let finish = 0;
  for (let k = 1; k <= last; k++) (mass += bins[k]!), (finish += (bins[k]! * (edges[k - 1]! + edges[k]!)) / 2);
  return edges[last]! - finish / mass;
}

/**
 * Explored tasks as a cadence would learn them: each read at creation, then once at an age spread
 * evenly inside the gap (at least 1 s from either end), then at the gap's end, and later.
 */
function explore(shape: FirstGapShape, durations: number[], gapEndMs: number): void {
  durations.forEach((duration, i) => {
    const readAt = 1000 + (((i + 1) * 0.6180339887498949) % 1) * (gapEndMs - 2000);
    if (duration <= readAt) shape.add(0, readAt);
    else if (duration <= gapEndMs) shape.add(readAt, gapEndMs);
    else shape.add(gapEndMs, Infinity);
  });
}

const workloadArb = fc.oneof(
  fc.record({ medianMs: fc.integer({ min: 5000, max: 60_000 }), sigma: fc.double({ min: 0.3, max: 1.5, noNaN: true }) }).map(({ medianMs, sigma }) => ({
    cdf: (ms: number) => logNormalCdf(ms, medianMs, sigma),
    draw: (random: () => number) => medianMs * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())),
  })),
  fc.record({ scaleMs: fc.integer({ min: 2000, max: 20_000 }), alpha: fc.double({ min: 1.1, max: 3, noNaN: true }) }).map(({ scaleMs, alpha }) => ({
    cdf: (ms: number) => (ms < scaleMs ? 0 : 1 - (scaleMs / ms) ** alpha),
    draw: (random: () => number) => scaleMs / (1 - random()) ** (1 / alpha),
  })),
);

describe('FirstGapShape', () => {
  it('with no explored task, a reshape changes nothing', () => {
    const bins = uninformed();
    const before = Float64Array.from(bins);
    new FirstGapShape(cadenceGrid).reshape(bins, 20_000);
    expect(bins).toEqual(before);
  });

  it('learns the lag inside the gap from 256 explored tasks, within 15% of the gap, from a shape that knew nothing (property: log-normal and Pareto durations)', () => {
    fc.assert(
      fc.property(workloadArb, fc.integer({ min: 1, max: 2 ** 31 }), ({ cdf, draw }, seed) => {
        const random = mulberry32(seed);
        const durations = Array.from({ length: 256 }, () => draw(random));
        // The gap the plan would leave: where about 40% of the tasks have ended, on a grid edge.
        const gapEndMs = edges[edgeAtOrBelow(cadenceGrid, [...durations].sort((a, b) => a - b)[102]!)]!;
        fc.pre(gapEndMs >= 6000);
        const shape = new FirstGapShape(cadenceGrid);
        explore(shape, durations, gapEndMs);
        const bins = uninformed();
        shape.reshape(bins, gapEndMs);
        const truth = lagInGap(binProbabilities(edges, cdf), gapEndMs);
        expect(Math.abs(lagInGap(bins, gapEndMs) - truth)).toBeLessThan(0.15 * gapEndMs);
      }),
      { numRuns: 25 },
    );
  });

  it('keeps the mass the gap holds, and every bin outside it', () => {
    const random = mulberry32(3);
    const shape = new FirstGapShape(cadenceGrid);
    explore(shape, Array.from({ length: 100 }, () => 10_000 + 20_000 * random()), 20_000);
    const bins = uninformed();
    const before = Float64Array.from(bins);
    shape.reshape(bins, 20_000);
    const gapBins = edgeAtOrBelow(cadenceGrid, 20_000);
    const sum = (b: Float64Array, from: number, to: number) => b.slice(from, to).reduce((a, p) => a + p, 0);
    expect(sum(bins, 1, gapBins + 1)).toBeCloseTo(sum(before, 1, gapBins + 1), 12);
    expect(bins.slice(gapBins + 1)).toEqual(before.slice(gapBins + 1));
    // No task ended before 10 s: the learned shape moves the gap's mass to its second half.
    expect(sum(bins, 1, edgeAtOrBelow(cadenceGrid, 10_000) + 1)).toBeLessThan(0.1 * sum(before, 1, gapBins + 1));
  });

  it('hands a snapshot the tasks as the last reshape saw them, and forgets them all when cleared', () => {
    const shape = new FirstGapShape(cadenceGrid);
    shape.add(0, 5000);
    shape.add(5000, 20_000);
    shape.reshape(uninformed(), 20_000);
    shape.add(20_000, Infinity); // after the reshape: not in the snapshot
    expect(shape.keptAtReshape()).toEqual([
      [0, 5000],
      [5000, 20_000],
    ]);
    shape.clear();
    const bins = uninformed();
    const before = Float64Array.from(bins);
    shape.reshape(bins, 20_000);
    expect(bins).toEqual(before);
    expect(shape.keptAtReshape()).toEqual([]);
  });
});
