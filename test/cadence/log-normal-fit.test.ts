import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cadenceGrid } from '../../src/cadence/duration-grid.js';
import { binProbabilities, logNormalCdf } from '../../src/cadence/log-normal.js';
import { logNormalFit, mixWith } from '../../src/cadence/log-normal-fit.js';

const { edges } = cadenceGrid;
const logNormalBins = (medianMs: number, sigma: number) => binProbabilities(edges, (x) => logNormalCdf(x, medianMs, sigma));
const largestGap = (a: Float64Array, b: Float64Array) => {
  let [ca, cb, worst] = [0, 0, 0];
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs((ca += a[k]!) - (cb += b[k]!)));
  return worst;
};

/** The estimate shrunk toward its fit, as the cadence plans with it. */
const shrink = (estimate: Float64Array, tasks: number, otherwise = estimate) => {
  const { fit, share } = logNormalFit(edges, estimate, tasks);
  return mixWith(fit, share, otherwise);
};

describe('logNormalFit', () => {
  it('keeps a log-normal estimate what it is: the fit recovers it within 0.02 of CDF (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 5000, max: 600_000, noNaN: true }), fc.double({ min: 0.2, max: 1.5, noNaN: true }), (medianMs, sigma) => {
        const estimate = logNormalBins(medianMs, sigma);
        const flat = new Float64Array(estimate.length).fill(1 / estimate.length); // what the fit must replace
        expect(largestGap(shrink(estimate, 200, flat), estimate)).toBeLessThan(0.02);
      }),
      { numRuns: 30 },
    );
  });

  it('leaves a shape no log-normal fits (two modes) to the estimate', () => {
    const short = logNormalBins(20_000, 0.3);
    const long = logNormalBins(180_000, 0.3);
    const bimodal = short.map((p, k) => 0.6 * p + 0.4 * long[k]!);
    expect(shrink(bimodal, 200)).toBe(bimodal);
  });

  it('mixes in between: the fewer the tasks, the more the fit is trusted', () => {
    const short = logNormalBins(50_000, 0.6);
    const bump = logNormalBins(90_000, 0.3);
    const lumpy = short.map((p, k) => 0.9 * p + 0.1 * bump[k]!);
    const gaps = [5, 5500, 20_000].map((tasks) => largestGap(shrink(lumpy, tasks), lumpy));
    expect(gaps[0]).toBeGreaterThan(gaps[1]!);
    expect(gaps[1]).toBeGreaterThan(gaps[2]!);
    expect(gaps[2]).toBe(0);
  });
});
