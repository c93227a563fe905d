import { describe, expect, it } from 'vitest';
import { cadenceGrid } from '../../src/cadence/duration-grid.js';
import { expectedLagMs } from '../../src/cadence/expected-lag.js';
import { binProbabilities, logNormalCdf } from '../../src/cadence/log-normal.js';

describe('expectedLagMs', () => {
  it('is half the gap under a flat distribution, and more where the mass is early in the gap', () => {
    const flat = new Float64Array(cadenceGrid.edges.length + 1).fill(1e-4);
    expect(expectedLagMs(cadenceGrid, flat, 20_000, 30_000)).toBeCloseTo(5000, 6);
    // Log-normal median 5 s: between 20 s and 30 s the density falls, so tasks end early in the gap.
    const falling = binProbabilities(cadenceGrid.edges, (x) => logNormalCdf(x, 5000, 1));
    expect(expectedLagMs(cadenceGrid, falling, 20_000, 30_000)).toBeGreaterThan(5200);
    // Median 60 s: rising there, so later in the gap.
    const rising = binProbabilities(cadenceGrid.edges, (x) => logNormalCdf(x, 60_000, 0.3));
    expect(expectedLagMs(cadenceGrid, rising, 20_000, 30_000)).toBeLessThan(4800);
  });

  it('is half the gap where the distribution has no mass, and 0 for a point', () => {
    const none = new Float64Array(cadenceGrid.edges.length + 1);
    expect(expectedLagMs(cadenceGrid, none, 10_000, 14_000)).toBe(2000);
    expect(expectedLagMs(cadenceGrid, none, 10_000, 10_000)).toBe(0);
  });
});
