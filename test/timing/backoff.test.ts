import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS } from '../../src/util/assert-option.js';
import { backoffDelay, cappedDelay, fullJitterDelay, type Backoff } from '../../src/timing/backoff.js';

const backoffArb: fc.Arbitrary<Backoff> = fc
  .record({
    initialMs: fc.integer({ min: 0, max: 60_000 }),
    factor: fc.double({ min: 1, max: 10, noNaN: true }),
    extraMs: fc.integer({ min: 0, max: 600_000 }),
    jitter: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ initialMs, factor, extraMs, jitter }) => ({ initialMs, factor, maxMs: initialMs + extraMs, jitter }));
const step = fc.integer({ min: 1, max: 10_000 });
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('cappedDelay', () => {
  it('grows by factor from initialMs', () => {
    const backoff = { initialMs: 1000, factor: 2, maxMs: 30_000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => cappedDelay(n, backoff))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('is monotone in the step and never above maxMs (property)', () => {
    fc.assert(
      fc.property(backoffArb, step, (backoff, n) => {
        const here = cappedDelay(n, backoff);
        expect(here).toBeLessThanOrEqual(backoff.maxMs);
        expect(here).toBeLessThanOrEqual(cappedDelay(n + 1, backoff));
        expect(here).toBeGreaterThanOrEqual(Math.min(backoff.initialMs, backoff.maxMs));
      }),
    );
  });
});

describe('backoffDelay', () => {
  it('stays within [capped·(1−jitter), capped] for any random draw (property)', () => {
    fc.assert(
      fc.property(backoffArb, step, unit, (backoff, n, r) => {
        const capped = cappedDelay(n, backoff);
        const delay = backoffDelay(n, backoff, () => r);
        expect(delay).toBeLessThanOrEqual(capped);
        expect(delay).toBeGreaterThanOrEqual(capped * (1 - backoff.jitter) - 1e-9);
        expect(delay).toBeLessThanOrEqual(MAX_TIMER_MS);
      }),
    );
  });

  it('is exact when jitter is 0', () => {
    expect(backoffDelay(2, { initialMs: 2000, factor: 1.5, maxMs: 30_000, jitter: 0 }, () => 0.9)).toBe(3000);
  });
});

describe('fullJitterDelay', () => {
  it('is uniform in [0, min(maxMs, base·2^(n−1))] (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 120_000 }), unit, (n, base, max, r) => {
        const delay = fullJitterDelay(n, base, max, () => r);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(max, base * 2 ** (n - 1)));
      }),
    );
  });

  it('has a monotone cap: the bound of retry n+1 is never below that of retry n (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 120_000 }), (n, base, max) => {
        expect(fullJitterDelay(n + 1, base, max, () => 0.999999)).toBeGreaterThanOrEqual(fullJitterDelay(n, base, max, () => 0.999999));
      }),
    );
  });
});
