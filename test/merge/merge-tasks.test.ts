import { Subject, from } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CambMergeError, isCambMergeError, mergeTasks, type MergeOptions, type PollOptions, type TaskFailure, type TaskStatus } from '../../src/index.js';
import { HeapScheduler } from '../../bench/lib/heap-scheduler.mjs';
import { lifecycleFetch, pendingThenSuccess } from '../_helpers/lifecycle-fetch.js';

/** No rate limit unless a test sets one: these tests are about merging, and the pacing would shift their times. */
const base = { apiKey: 'k', baseUrl: 'https://client.camb.ai/apis', interval: 1000, retry: false, maxRequestsPerSecond: Infinity } as const;

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  expect(vi.getTimerCount()).toBe(0);
  vi.useRealTimers();
});

function run(ids: Subject<string> | string[], options: Partial<PollOptions & Omit<MergeOptions, 'failures'>>, stub: ReturnType<typeof lifecycleFetch>) {
  const out = { values: [] as TaskStatus[], error: undefined as unknown, complete: false };
  const input = Array.isArray(ids) ? from(ids) : ids;
  const subscription = input
    .pipe(mergeTasks({ ...base, fetch: stub.fetch, ...options }))
    .subscribe({ next: (v) => out.values.push(v), error: (e) => (out.error = e), complete: () => (out.complete = true) });
  return Object.assign(out, { subscription });
}

describe('mergeTasks in fake time', () => {
  it('watches every id at once and completes when the input has and every task is done', async () => {
    const stub = lifecycleFetch(pendingThenSuccess((id) => Number(id.slice(1))));
    const ids = new Subject<string>();
    const out = run(ids, {}, stub);
    ids.next('t0');
    ids.next('t2');
    await vi.advanceTimersByTimeAsync(0);
    expect(stub.log.map((r) => r.taskId)).toEqual(['t0', 't2']);
    await vi.advanceTimersByTimeAsync(5000);
    expect(out.complete).toBe(false); // the input is still open
    ids.next('t1');
    ids.complete();
    await vi.advanceTimersByTimeAsync(1000);
    expect(out.complete).toBe(true);
    expect(out.values.filter((s) => s.done).map((s) => [s.taskId, s.status])).toEqual([
      ['t0', 'SUCCESS'],
      ['t2', 'SUCCESS'],
      ['t1', 'SUCCESS'],
    ]);
  });

  it('skips an id that is already being watched, but watches it again after its outcome', async () => {
    const stub = lifecycleFetch(pendingThenSuccess(() => 1));
    const ids = new Subject<string>();
    const out = run(ids, {}, stub);
    ids.next('a');
    ids.next('a');
    await vi.advanceTimersByTimeAsync(1000);
    expect(out.values.map((s) => [s.taskId, s.poll])).toEqual([
      ['a', 1],
      ['a', 2],
    ]);
    ids.next('a');
    ids.complete();
    await vi.advanceTimersByTimeAsync(0);
    expect(out.values).toHaveLength(3);
    expect(out.complete).toBe(true);
  });

  it('reports a task that cannot be followed to onTaskError while the others go on', async () => {
    const stub = lifecycleFetch((id, read) => (id === 'gone' ? new Response('{"detail":"Task not found"}', { status: 404 }) : pendingThenSuccess(() => 2)(id, read)));
    const failures: TaskFailure[] = [];
    const out = run(['a', 'gone', 'b', '../etc'], { onTaskError: (f) => failures.push(f) }, stub);
    await vi.advanceTimersByTimeAsync(2000);
    expect(out.complete).toBe(true);
    expect(out.values.filter((s) => s.done).map((s) => s.taskId)).toEqual(['a', 'b']);
    expect(failures.map((f) => [f.taskId, (f.error as Error).name])).toEqual([
      ['../etc', 'TypeError'], // refused at once, before any request
      ['gone', 'CambHttpError'],
    ]);
  });

  it('without onTaskError, fails with CambMergeError only after every other task is done', async () => {
    const stub = lifecycleFetch((id, read) => (id === 'gone' ? new Response('{}', { status: 404 }) : pendingThenSuccess(() => 3)(id, read)));
    const out = run(['gone', 'a'], {}, stub);
    await vi.advanceTimersByTimeAsync(2000);
    expect(out.error).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1000);
    expect(out.values.at(-1)).toMatchObject({ taskId: 'a', status: 'SUCCESS' });
    expect(isCambMergeError(out.error)).toBe(true);
    expect((out.error as CambMergeError).failures.map((f) => f.taskId)).toEqual(['gone']);
    expect(JSON.parse(JSON.stringify(out.error))).toMatchObject({ code: 'CAMB_MERGE_ERROR', failures: [{ taskId: 'gone', error: { name: 'CambHttpError' } }] });
  });

  it("with failures: 'emit', makes each task that cannot be followed a value of the stream, and never fails for it", async () => {
    const stub = lifecycleFetch((id, read) => (id === 'gone' ? new Response('{}', { status: 404 }) : pendingThenSuccess(() => 2)(id, read)));
    const told: TaskFailure[] = [];
    const values: (TaskStatus | TaskFailure)[] = [];
    let completed = false;
    from(['a', 'gone', '../etc'])
      .pipe(mergeTasks({ ...base, fetch: stub.fetch, failures: 'emit', onTaskError: (f) => told.push(f) }))
      .subscribe({ next: (v) => values.push(v), complete: () => (completed = true) });
    await vi.advanceTimersByTimeAsync(2000);
    expect(completed).toBe(true);
    expect(values.map((v) => ('error' in v ? [v.taskId, (v.error as Error).name] : [v.taskId, v.status]))).toEqual([
      ['../etc', 'TypeError'],
      ['a', 'PENDING'],
      ['gone', 'CambHttpError'],
      ['a', 'PENDING'],
      ['a', 'SUCCESS'],
    ]);
    expect(told).toEqual(values.filter((v) => 'error' in v)); // onTaskError still hears of each
  });

  it("refuses failures: 'emit' with failFast, and an unknown failures mode, at call time", () => {
    expect(() => mergeTasks({ ...base, failures: 'emit', failFast: true })).toThrow(/contradict/);
    expect(() => mergeTasks({ ...base, failures: 'throw' as never })).toThrow(/option `failures` must be 'error' or 'emit', got "throw"/);
  });

  it('with failFast, fails at the first failure and tears every other task down', async () => {
    const stub = lifecycleFetch((id) => (id === 'gone' ? new Response('{}', { status: 404 }) : { status: 'PENDING' }), 500);
    const out = run(['a', 'b', 'gone'], { failFast: true }, stub);
    await vi.advanceTimersByTimeAsync(500);
    expect(out.error).toBeInstanceOf(CambMergeError);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(stub.log).toHaveLength(3);
  });

  it('keeps requests in flight within maxConcurrentRequests', async () => {
    const stub = lifecycleFetch(pendingThenSuccess(() => 2), 300);
    const ids = Array.from({ length: 50 }, (_, i) => `t${i}`);
    const out = run(ids, { maxConcurrentRequests: 4, maxRequestsPerSecond: Infinity }, stub);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(out.complete).toBe(true);
    expect(stub.stats.maxInFlight).toBe(4);
    expect(stub.log).toHaveLength(150);
  });

  it('starts at most maxRequestsPerSecond requests in any one-second window', async () => {
    const stub = lifecycleFetch(pendingThenSuccess(() => 1), 10);
    const ids = Array.from({ length: 30 }, (_, i) => `t${i}`);
    const out = run(ids, { maxRequestsPerSecond: 7, interval: 0, minIntervalMs: 0 }, stub);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(out.complete).toBe(true);
    const starts = stub.log.map((r) => r.at);
    const mostInAnySecond = Math.max(...starts.map((t) => starts.filter((u) => u >= t && u < t + 1000).length));
    expect(mostInAnySecond).toBe(7);
  });

  it('holds the next request of every task when one gets 429 with Retry-After', async () => {
    const stub = lifecycleFetch((id, read) =>
      id === 'hot' && read === 1 ? new Response('{}', { status: 429, headers: { 'retry-after': '10' } }) : pendingThenSuccess(() => 3)(id, read),
    );
    const out = run(['hot', 'a', 'b'], { retry: { maxRetries: 2 } }, stub);
    await vi.advanceTimersByTimeAsync(9_999); // a and b were due again at t=1000
    expect(stub.log.map((r) => [r.taskId, r.at - stub.log[0]!.at])).toEqual([
      ['hot', 0],
      ['a', 0],
      ['b', 0],
    ]);
    await vi.advanceTimersByTimeAsync(1);
    expect(stub.log.slice(3).map((r) => r.taskId)).toEqual(['a', 'b', 'hot']);
    await vi.advanceTimersByTimeAsync(5000);
    expect(out.complete).toBe(true);
  });

  it('tears every task down on unsubscribe: requests aborted, no timer left', async () => {
    const stub = lifecycleFetch(() => ({ status: 'PENDING' }), 400);
    const out = run(['a', 'b', 'c'], { maxConcurrentRequests: 2 }, stub);
    await vi.advanceTimersByTimeAsync(100);
    out.subscription.unsubscribe();
    expect(stub.log.map((r) => r.signal.aborted)).toEqual([true, true]);
    expect(stub.stats.inFlight).toBe(0);
  });

  it('ends with the signal’s reason when the signal aborts, with one listener for all tasks', async () => {
    const controller = new AbortController();
    const add = vi.spyOn(controller.signal, 'addEventListener');
    const stub = lifecycleFetch(() => ({ status: 'PENDING' }), 100);
    const out = run(['a', 'b', 'c'], { signal: controller.signal }, stub);
    await vi.advanceTimersByTimeAsync(50);
    controller.abort();
    expect((out.error as DOMException).name).toBe('AbortError');
    expect(add).toHaveBeenCalledTimes(1);
    expect(stub.log.every((r) => r.signal.aborted)).toBe(true);
  });

  it('follows 10,000 tasks to their outcome in virtual time, each exactly once', async () => {
    vi.useRealTimers(); // this one runs on a heap-based virtual scheduler instead
    const scheduler = new HeapScheduler();
    const stub = lifecycleFetch(pendingThenSuccess((id) => Number(id) % 4));
    const ids = Array.from({ length: 10_000 }, (_, i) => String(i));
    const out = run(ids, { scheduler, maxConcurrentRequests: 500, maxRequestsPerSecond: 5000 }, stub);
    await scheduler.advance(60_000);
    expect(out.complete).toBe(true);
    const finals = out.values.filter((s) => s.done);
    expect(finals).toHaveLength(10_000);
    expect(new Set(finals.map((s) => s.taskId)).size).toBe(10_000);
    expect(stub.log).toHaveLength(10_000 * 2.5); // 1 + (id mod 4) reads each: 1+2+3+4 per 4 ids
    expect(stub.stats.maxInFlight).toBeLessThanOrEqual(500);
    expect(scheduler.pending).toBe(0);
    vi.useFakeTimers();
  });
});
