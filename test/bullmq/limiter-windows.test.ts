import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { limiterWindows, windowsMeeting } from '../../src/bullmq/limiter-windows.js';
import { fetcherShares } from '../../src/bullmq/fetcher-shares.js';
import { taskJobId } from '../../src/bullmq/job-ids.js';

/**
 * BullMQ's limiter as its Lua scripts run it (moveToActive): a start is admitted while the counter
 * is below `max`; the first start of a window sets the counter's expiry `duration` ms later (Redis
 * keeps a key up to and including its expiry millisecond). Requests then arrive `delay` after
 * their start. Returns the arrival times of the admitted starts, given the times jobs ask to start
 * (a refused job asks again at the expiry, as a rate-limited worker does).
 */
function simulateLimiter(asks: readonly number[], delays: readonly number[], { max, duration }: { max: number; duration: number }): number[] {
  const pending = [...asks].sort((a, b) => a - b);
  const arrivals: number[] = [];
  let windowEnd = -Infinity;
  let count = 0;
  for (let i = 0; i < pending.length; i++) {
    let at = pending[i]!;
    if (at > windowEnd) {
      windowEnd = at + duration;
      count = 0;
    }
    if (count >= max) {
      at = windowEnd + 1; // refused until the key is gone; then it opens the next window
      windowEnd = at + duration;
      count = 0;
    }
    count += 1;
    arrivals.push(at + delays[i % delays.length]!);
    // Later asks can never start before this one: keep the list ordered.
    for (let j = i + 1; j < pending.length && pending[j]! < at; j++) pending[j] = at;
  }
  return arrivals;
}

function maxInAnySecond(arrivals: readonly number[]): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! > 1000) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

describe('limiterWindows', () => {
  it('never lets more than R starts reach any sliding second, for any start times and any delay spread within slackMs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 400 }),
        fc.integer({ min: 0, max: 200 }),
        fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 1500 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (R, slackMs, asks, spread) => {
          const windows = limiterWindows(R, slackMs);
          const arrivals = simulateLimiter(asks, spread.map((f) => f * slackMs), windows);
          expect(maxInAnySecond(arrivals)).toBeLessThanOrEqual(R);
          expect(windows.worstSecond).toBeLessThanOrEqual(R);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the naive { max: R, duration: 1000 } admits almost 2R in one sliding second', () => {
    const R = 40;
    const asks = [0, ...Array.from({ length: 2 * R }, () => 900)];
    expect(maxInAnySecond(simulateLimiter(asks, [0], { max: R, duration: 1000 }))).toBe(2 * R - 1);
  });

  it('keeps most of the budget: at least 90% of R at 1,000 requests per second and 40 ms of slack', () => {
    const { max, duration } = limiterWindows(1000, 40);
    expect((max * 1000) / duration).toBeGreaterThanOrEqual(900);
    expect(windowsMeeting(1040, duration) * max).toBeLessThanOrEqual(1000);
  });

  it('prefers longer windows when a window opens a little after the previous one expired', () => {
    // 37 per 40 ms: 881/s with 2 ms between windows; 27 per 29 ms (the best back to back) gives 871/s.
    expect(limiterWindows(1000, 40)).toEqual({ max: 37, duration: 40, worstSecond: 999 });
  });

  it('refuses a budget too small to split', () => {
    expect(() => limiterWindows(1, 0)).toThrow(RangeError);
  });
});

describe('job ids and fetchers', () => {
  it('derives one id per kind and task, with no ":" and never digits alone', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(taskJobId('transcribe', a)).not.toContain(':');
        expect(taskJobId('transcribe', a) === taskJobId('transcribe', b)).toBe(a === b);
        expect(taskJobId('dub', a)).not.toBe(taskJobId('transcribe', a));
      }),
    );
  });

  it('splits a concurrency over fetchers of at most 8, summing to it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), (concurrency) => {
        const shares = fetcherShares(concurrency);
        expect(shares.reduce((a, b) => a + b, 0)).toBe(concurrency);
        expect(Math.max(...shares)).toBeLessThanOrEqual(8);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
