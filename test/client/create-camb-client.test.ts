import { from, lastValueFrom, toArray } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCambClient, type CambClient } from '../../src/index.js';
import { lifecycleFetch, pendingThenSuccess } from '../_helpers/lifecycle-fetch.js';

const connection = { apiKey: 'k', baseUrl: 'https://client.camb.ai/apis', retry: false } as const;
const fast = { interval: 100, minIntervalMs: 0 } as const;

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  expect(vi.getTimerCount()).toBe(0);
  vi.useRealTimers();
});

/** One stream of each kind the client makes, on task ids `a`, `b` (dub) and `c`. */
const everyStream = (camb: CambClient) =>
  Promise.all([
    lastValueFrom(camb.transcriptionStatus$('a', fast).pipe(toArray())),
    lastValueFrom(camb.taskStatus$('dub', 'b', fast)),
    lastValueFrom(from(['c']).pipe(camb.mergeTasks(fast), toArray())),
  ]);

describe('createCambClient: one budget across every stream of the client', () => {
  it('holds every stream within one maxConcurrentRequests', async () => {
    const stub = lifecycleFetch(pendingThenSuccess(() => 1), 200);
    const camb = createCambClient({ ...connection, fetch: stub.fetch, maxConcurrentRequests: 1 });
    const results = everyStream(camb);
    await vi.advanceTimersByTimeAsync(0);
    expect([camb.budget.running, camb.budget.waiting]).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(5000);
    const [a, b, c] = await results;
    expect(a.map((s) => s.status)).toEqual(['PENDING', 'SUCCESS']);
    expect(b).toMatchObject({ kind: 'dub', status: 'SUCCESS' });
    expect(c.at(-1)).toMatchObject({ taskId: 'c', status: 'SUCCESS' });
    expect(stub.stats.maxInFlight).toBe(1);
    expect([camb.budget.running, camb.budget.waiting]).toEqual([0, 0]);
  });

  it('shares it with every subscription of its mergeTasks, rather than one budget each', async () => {
    const stub = lifecycleFetch(pendingThenSuccess(() => 1), 200);
    const camb = createCambClient({ ...connection, fetch: stub.fetch, maxConcurrentRequests: 1 });
    const merge = camb.mergeTasks(fast);
    const both = Promise.all([lastValueFrom(from(['a']).pipe(merge, toArray())), lastValueFrom(from(['b']).pipe(merge, toArray()))]);
    await vi.advanceTimersByTimeAsync(5000);
    expect((await both).map((statuses) => statuses.at(-1)?.status)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(stub.stats.maxInFlight).toBe(1);
  });

  it('is its own: two clients do not share', async () => {
    const stub = lifecycleFetch(pendingThenSuccess(() => 1), 200);
    const [one, two] = [1, 2].map(() => createCambClient({ ...connection, fetch: stub.fetch, maxConcurrentRequests: 1 }));
    const both = Promise.all([lastValueFrom(one!.transcriptionStatus$('a', fast)), lastValueFrom(two!.transcriptionStatus$('b', fast))]);
    await vi.advanceTimersByTimeAsync(0);
    expect(stub.stats.inFlight).toBe(2);
    await vi.advanceTimersByTimeAsync(5000);
    await both;
  });

  it('a 429 with Retry-After on one stream holds the next request of every stream until then', async () => {
    // Task a's second read is refused with Retry-After: 2 s; the others keep PENDING for a while.
    const stub = lifecycleFetch((taskId, read) =>
      taskId === 'a' && read === 2
        ? new Response('{"detail":"slow down"}', { status: 429, headers: { 'retry-after': '2' } })
        : pendingThenSuccess(() => 6)(taskId, read),
    );
    // No rate limit here, so the pacing of starts does not spread the three reads after the pause.
    const camb = createCambClient({ ...connection, maxRequestsPerSecond: Infinity, retry: { maxRetries: 2 }, fetch: stub.fetch });
    const results = everyStream(camb);
    await vi.advanceTimersByTimeAsync(10_000);
    const [a, b, c] = await results;
    expect([a.at(-1)?.status, b.status, c.at(-1)?.status]).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);

    const refusedAt = stub.log.filter((r) => r.taskId === 'a')[1]!.at;
    const duringPause = stub.log.filter((r) => r.at > refusedAt && r.at < refusedAt + 2000);
    expect(duringPause).toEqual([]);
    // Every stream was still polling, so each one's next request waited for the end of the pause;
    // the first goes at its end, the others follow at the budget's pacing (maxRequestsPerSecond 20).
    const nextAfter = ['a', 'b', 'c'].map((taskId) => stub.log.find((r) => r.taskId === taskId && r.at > refusedAt)!.at - refusedAt).sort((x, y) => x - y);
    expect(nextAfter[0]).toBe(2000);
    for (const delay of nextAfter) expect(delay).toBeGreaterThanOrEqual(2000);
    expect(nextAfter[2]).toBeLessThanOrEqual(2000 + 2 * 50);
  });

  it('throws TypeError at creation for bad options, and keeps the key out of its JSON', () => {
    expect(() => createCambClient({ apiKey: '' })).toThrow(TypeError);
    expect(() => createCambClient({ apiKey: 'k', maxConcurrentRequests: 0 })).toThrow(/maxConcurrentRequests/);
    expect(() => createCambClient({ apiKey: 'k', maxRequestsPerSecond: 1.5 })).toThrow(/maxRequestsPerSecond/);
    expect(JSON.stringify(createCambClient({ apiKey: 'secret-key-123' }))).not.toContain('secret-key-123');
  });
});
