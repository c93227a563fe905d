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

  it('fits two kinds of tasks with two log-normals, where one log-normal is rejected: within 0.01 of CDF (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 5000, max: 60_000, noNaN: true }),
        fc.double({ min: 4, max: 20, noNaN: true }),
        fc.double({ min: 0.2, max: 0.5, noNaN: true }),
        fc.double({ min: 0.25, max: 0.75, noNaN: true }),
        (shortMs, ratio, sigma, shortShare) => {
          const short = logNormalBins(shortMs, sigma);
          const long = logNormalBins(shortMs * ratio, sigma);
          const bimodal = short.map((p, k) => shortShare * p + (1 - shortShare) * long[k]!);
          // 10,000 tasks: too many for a single log-normal to pass the check on any of these.
          expect(largestGap(shrink(bimodal, 10_000, new Float64Array(bimodal.length).fill(1 / bimodal.length)), bimodal)).toBeLessThan(0.01);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('leaves a shape no fit takes (three modes) to the estimate', () => {
    const [a, b, c] = [logNormalBins(10_000, 0.2), logNormalBins(60_000, 0.2), logNormalBins(400_000, 0.2)];
    const trimodal = a.map((p, k) => (p + b[k]! + c[k]!) / 3);
    expect(shrink(trimodal, 200)).toBe(trimodal);
  });

  it('mixes in between: the fewer the tasks, the more the fit is trusted', () => {
    const [bulk, bump, early] = [logNormalBins(50_000, 0.6), logNormalBins(90_000, 0.2), logNormalBins(15_000, 0.15)];
    const lumpy = bulk.map((p, k) => 0.85 * p + 0.1 * bump[k]! + 0.05 * early[k]!); // two bumps on one log-normal
    const gaps = [5, 5500, 20_000].map((tasks) => largestGap(shrink(lumpy, tasks), lumpy));
    expect(gaps[0]).toBeGreaterThan(gaps[1]!);
    expect(gaps[1]).toBeGreaterThan(gaps[2]!);
    expect(gaps[2]).toBe(0);
  });
});
