import { describe, expect, it } from 'vitest';
import { oracleFrontier } from '../../src/testing/index.js';

describe('oracleFrontier', () => {
  it('traces a frontier: lag rises as requests fall', () => {
    const points = oracleFrontier((ms) => Math.min(1, ms / 120_000), { requestCosts: [100, 1000, 10_000] });
    expect(points.map((p) => p.requestCost)).toEqual([100, 1000, 10_000]);
    expect(points[0]!.meanLagMs).toBeLessThan(points[1]!.meanLagMs);
    expect(points[1]!.meanLagMs).toBeLessThan(points[2]!.meanLagMs);
    expect(points[0]!.meanRequests).toBeGreaterThan(points[1]!.meanRequests);
    expect(points[1]!.meanRequests).toBeGreaterThan(points[2]!.meanRequests);
    expect(points.every((p) => p.sample === undefined)).toBe(true);
  });

  it('on a sample that follows the distribution, spends what it expects to', () => {
    const sample = Array.from({ length: 4000 }, (_, i) => ((i + 0.5) / 4000) * 120_000);
    for (const point of oracleFrontier((ms) => Math.min(1, ms / 120_000), { requestCosts: [300, 3000, 30_000], sample })) {
      expect(point.sample!.meanRequests / point.meanRequests).toBeCloseTo(1, 2);
      expect(point.sample!.meanLagMs / point.meanLagMs).toBeCloseTo(1, 1);
    }
  });

  it('on a sample of its own, counts each task up to the first read at or after its duration', () => {
    // Every task takes 30 s: the optimal schedule reads at 0 and at 30 s. A task of 10 s is seen at 30 s.
    const [point] = oracleFrontier((ms) => (ms >= 30_000 ? 1 : 0), { requestCosts: [1000], sample: [10_000, 30_000] });
    expect(point!.meanRequests).toBe(2);
    expect(point!.sample).toEqual({ meanRequests: 2, meanLagMs: 10_000 });
  });

  it('reads a task longer than the horizon once per horizon beyond it', () => {
    const [point] = oracleFrontier((ms) => Math.min(1, ms / 60_000), { horizonMs: 60_000, requestCosts: [1e6], sample: [90_000] });
    expect(point!.sample!.meanLagMs).toBe(30_000);
  });

  it('refuses a sample that holds something other than durations, with a TypeError', () => {
    expect(() => oracleFrontier((ms) => Math.min(1, ms / 60_000), { sample: [1000, Number.NaN] })).toThrow(TypeError);
    expect(() => oracleFrontier((ms) => Math.min(1, ms / 60_000), { sample: [-1] })).toThrow(/sample must hold durations/);
  });
});
