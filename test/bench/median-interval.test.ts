import { describe, expect, it } from 'vitest';
import { medianInterval } from '../../bench/lib/median-interval.mjs';
import { mulberry32 } from '../../src/testing/mulberry32.js';

const ranks = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('medianInterval', () => {
  it("gives the textbook ranks of the median's 95 % interval", () => {
    expect(medianInterval(ranks(6))).toEqual({ low: 1, high: 6, level: 1 - 2 / 64 });
    expect(medianInterval(ranks(20))).toMatchObject({ low: 6, high: 15 });
    expect(medianInterval(ranks(60))).toMatchObject({ low: 22, high: 39 });
    expect(medianInterval(ranks(20))!.level).toBeCloseTo(0.9586, 4);
  });

  it('sorts what it is given, and has no interval from fewer than 6 values at 95 %', () => {
    expect(medianInterval([3, 1, 4, 1, 5, 9, 2, 6, 5, 3])).toMatchObject({ low: 1, high: 6 });
    expect(medianInterval([1, 2, 3, 4, 5])).toBeUndefined();
    expect(medianInterval([1, 2, 3, 4, 5], 0.9)).toMatchObject({ low: 1, high: 5 });
  });

  it('covers the true median at least as often as it says (20 values from a uniform, 4,000 seeded draws)', () => {
    const random = mulberry32(42);
    let covered = 0;
    const draws = 4000;
    for (let d = 0; d < draws; d++) {
      const { low, high } = medianInterval(Array.from({ length: 20 }, random))!;
      if (low <= 0.5 && 0.5 <= high) covered++;
    }
    // It says 95.9 %; 4,000 draws put the share within about ±0.6 % of that (two standard deviations).
    expect(covered / draws).toBeGreaterThan(0.95);
    expect(covered / draws).toBeLessThan(0.97);
  });
});
