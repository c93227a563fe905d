import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MIN_POLL_INTERVAL_MS, transcriptionStatus$, type PollOptions } from '../../src/index.js';
import { record, statusRequests, useIntegrationHarness } from '../_helpers/integration-harness.js';
import { stubFetch } from '../_helpers/stub-fetch.js';

const apiKey = 'k';
const baseUrl = 'https://client.camb.ai/apis';
const pending = { status: 'PENDING' };

/** Polls an endless task through a stub fetch and tells how many reads were sent after `ms` of fake time. */
async function readsWithin(ms: number, options: Partial<PollOptions>): Promise<number> {
  const fetch = stubFetch(pending);
  const { subscription } = record(transcriptionStatus$('t', { apiKey, baseUrl, fetch, retry: false, ...options }));
  await vi.advanceTimersByTimeAsync(ms);
  subscription.unsubscribe();
  return fetch.calls.length;
}

describe('the poll interval floor, in fake time', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    expect(vi.getTimerCount()).toBe(0);
    vi.useRealTimers();
  });

  it('is 250 ms', () => {
    expect(MIN_POLL_INTERVAL_MS).toBe(250);
  });

  it.each<[string, PollOptions['interval']]>([
    ['interval: 0', 0],
    ['a number below the floor', 10],
    ['a backoff that starts at 0', { initialMs: 0, maxMs: 0, jitter: 0 }],
    ['a function that answers 0', () => 0],
  ])('raises %s to the floor: one read at subscription, then one per 250 ms', async (_, interval) => {
    expect(await readsWithin(4 * MIN_POLL_INTERVAL_MS, { interval })).toBe(5);
  });

  it('raises the not-found grace re-reads too', async () => {
    const fetch = stubFetch(new Response('{"detail":"not found"}', { status: 404 }));
    const { subscription } = record(transcriptionStatus$('t', { apiKey, baseUrl, fetch, retry: false, interval: 0, notFoundGraceMs: 10_000 }));
    await vi.advanceTimersByTimeAsync(4 * MIN_POLL_INTERVAL_MS);
    subscription.unsubscribe();
    expect(fetch.calls).toHaveLength(5);
  });

  it('leaves longer delays alone', async () => {
    expect(await readsWithin(4000, { interval: 1000 })).toBe(5);
  });

  it('can be raised', async () => {
    expect(await readsWithin(4000, { interval: 0, minIntervalMs: 1000 })).toBe(5);
  });

  it('turns off with minIntervalMs: 0, for virtual time and loopback tests', async () => {
    const fetch = stubFetch(pending, pending, pending, { status: 'SUCCESS', run_id: 1 });
    const log = record(transcriptionStatus$('t', { apiKey, baseUrl, fetch, retry: false, interval: 0, minIntervalMs: 0 }));
    await vi.runAllTimersAsync();
    expect(log.values.map((s) => [s.poll, s.elapsedMs])).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 0],
    ]);
    expect(log.completed).toBe(true);
  });

  it('refuses a minIntervalMs that is not a duration, at call time', () => {
    for (const minIntervalMs of [-1, Number.NaN, Infinity, '250' as never]) {
      expect(() => transcriptionStatus$('t', { apiKey, minIntervalMs })).toThrow(/option `minIntervalMs` must be/);
    }
  });
});

describe('the poll interval floor, over a real socket', () => {
  const { start } = useIntegrationHarness();

  it('spaces the reads of interval: 0 at least 250 ms apart at the server', async () => {
    const sim = await start({ tasks: [{ id: 'slow', pendingPolls: 3 }] });
    const run = record(transcriptionStatus$('slow', { apiKey: sim.apiKey, baseUrl: sim.url, interval: 0 }));
    await run.done;
    expect(run.completed).toBe(true);
    const arrivals = statusRequests(sim).map((entry) => entry.startedAt);
    expect(arrivals).toHaveLength(4);
    // A timer never fires early, so each gap is at least the floor (less the ms rounding of timers).
    for (let i = 1; i < arrivals.length; i += 1) expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(MIN_POLL_INTERVAL_MS - 2);
  });
});
