import { inspect } from 'node:util';
import { lastValueFrom, take, toArray, type Observable } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CambHttpError, CambSchemaError, CambTimeoutError, CambTransportError, type PollOptions, type RetryEvent, type TaskStatus } from '../../src/index.js';
import { lifecycleFetch, pendingThenSuccess } from '../_helpers/lifecycle-fetch.js';
import { fakePage } from '../_helpers/fake-page.js';
import { statusPaths } from '../_helpers/status-paths.js';
import { httpAnswer, stubFetch, type StubAnswer } from '../_helpers/stub-fetch.js';

/*
 * The conformance suite: every case runs against both ways camb-rx follows a task — the
 * single-task stream and the engine behind mergeTasks — so the two cannot drift apart.
 */

const apiKey = 'secret-key-123';
const baseUrl = 'https://client.camb.ai/apis';

function record(stream: Observable<TaskStatus>) {
  const log = { values: [] as TaskStatus[], error: undefined as unknown, complete: false };
  const subscription = stream.subscribe({ next: (v) => log.values.push(v), error: (e) => (log.error = e), complete: () => (log.complete = true) });
  return Object.assign(log, { subscription });
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.unstubAllGlobals();
  const timersLeft = vi.getTimerCount();
  vi.useRealTimers();
  expect(timersLeft).toBe(0); // every case leaves no timer behind, on both paths
});

describe.each(statusPaths)('$name', (path) => {
  const watch = (answers: StubAnswer[], options: Partial<PollOptions> = {}) => {
    const fetch = stubFetch(...answers);
    const log = record(path.watch('transcribe', 'task-1', { apiKey, baseUrl, fetch, interval: 1000, minIntervalMs: 0, retry: false, ...options }));
    return { fetch, log };
  };

  it('reads at subscription, then one cadence step after each response, until a terminal status', async () => {
    const { fetch, log } = watch([{ status: 'PENDING' }, { status: 'PENDING' }, { status: 'SUCCESS', run_id: 42 }]);
    expect(fetch.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(fetch.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(log.complete).toBe(true);
    expect(log.values).toEqual([
      { taskId: 'task-1', kind: 'transcribe', status: 'PENDING', done: false, poll: 1, elapsedMs: 0 },
      { taskId: 'task-1', kind: 'transcribe', status: 'PENDING', done: false, poll: 2, elapsedMs: 1000 },
      { taskId: 'task-1', kind: 'transcribe', status: 'SUCCESS', done: true, runId: 42, poll: 3, elapsedMs: 2000 },
    ]);
  });

  it('sends GET with the key header to the encoded path of the kind', async () => {
    const fetch = stubFetch({ status: 'SUCCESS', run_id: 1 });
    const last = await lastValueFrom(path.watch('dub', 'a?b#c%d', { apiKey, baseUrl, fetch }));
    expect(last).toMatchObject({ kind: 'dub', taskId: 'a?b#c%d', status: 'SUCCESS' });
    expect(fetch.calls[0]?.url).toBe(`${baseUrl}/dub/a%3Fb%23c%25d`);
    expect(fetch.calls[0]?.init).toMatchObject({ method: 'GET', headers: { 'x-api-key': apiKey, accept: 'application/json' }, redirect: 'manual' });
  });

  it('maps snake_case to camelCase, drops nulls, keeps an unknown status polling, ends where isTerminal says', async () => {
    const body = { status: 'ERROR', run_id: null, exception_reason: 'SOURCE_TOO_LONG', message: { hint: 'split it' }, extra: [1, 2] };
    const failed = watch([{ status: 'RUNNING' }, body]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(failed.log.values.map((s) => [s.status, s.done])).toEqual([
      ['RUNNING', false],
      ['ERROR', true],
    ]);
    expect(failed.log.values[1]).toEqual({ taskId: 'task-1', kind: 'transcribe', status: 'ERROR', done: true, exceptionReason: 'SOURCE_TOO_LONG', message: { hint: 'split it' }, poll: 2, elapsedMs: 1000 });
    const custom = watch([{ status: 'CANCELLED' }], { isTerminal: (s) => s === 'CANCELLED' });
    await vi.advanceTimersByTimeAsync(0);
    expect(custom.log.values.map((s) => [s.status, s.done])).toEqual([['CANCELLED', true]]);
    expect(custom.log.complete).toBe(true);
  });

  it('takes the cadence from a function of the poll context', async () => {
    const contexts: unknown[] = [];
    const { fetch } = watch([{ status: 'PENDING' }, { status: 'PENDING' }, { status: 'SUCCESS' }], {
      interval: ({ poll, elapsedMs, status }) => (contexts.push([poll, elapsedMs, status?.status]), poll * 100),
    });
    await vi.advanceTimersByTimeAsync(300);
    expect(fetch.calls).toHaveLength(3);
    expect(contexts).toEqual([
      [1, 0, 'PENDING'],
      [2, 100, 'PENDING'],
    ]);
  });

  it('fails with the TypeError of an interval function that returns a bad delay', async () => {
    const { log } = watch([{ status: 'PENDING' }], { interval: () => -1 });
    await vi.advanceTimersByTimeAsync(0);
    expect(log.error).toBeInstanceOf(TypeError);
    expect((log.error as Error).message).toMatch(/interval\(context\) result/);
  });

  it('never overlaps reads: a slow answer delays the next read instead of racing it', async () => {
    const stub = lifecycleFetch(pendingThenSuccess(() => 2), 3000);
    const log = record(path.watch('transcribe', 'slow', { apiKey, baseUrl, fetch: stub.fetch, interval: 1000, retry: false }));
    await vi.advanceTimersByTimeAsync(20_000);
    expect(log.complete).toBe(true);
    expect(stub.log.map((r) => r.at - stub.log[0]!.at)).toEqual([0, 4000, 8000]);
    expect(stub.stats.maxInFlight).toBe(1);
  });

  it('is cold: each subscription polls on its own', async () => {
    const stub = lifecycleFetch((_, read) => (read >= 3 ? { status: 'SUCCESS' } : { status: 'PENDING' })); // reads are counted across both
    const stream = path.watch('transcribe', 'cold', { apiKey, baseUrl, fetch: stub.fetch, interval: 1000, retry: false });
    expect(stub.log).toHaveLength(0); // nothing is sent before subscription
    const first = record(stream);
    await vi.advanceTimersByTimeAsync(500);
    const second = record(stream);
    await vi.advanceTimersByTimeAsync(2000);
    expect([first.complete, second.complete]).toEqual([true, true]);
    expect(stub.log.map((r) => r.at - stub.log[0]!.at)).toEqual([0, 500, 1000, 1500]);
    expect(second.values.map((s) => [s.poll, s.elapsedMs])).toEqual([
      [1, 0],
      [2, 1000],
    ]);
  });

  it('fails at timeoutMs with CambTimeoutError carrying the last status, and aborts the request in flight', async () => {
    const { fetch, log } = watch([{ status: 'PENDING' }, 'never'], { timeoutMs: 5000 });
    await vi.advanceTimersByTimeAsync(4999);
    expect(log.error).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(log.error).toBeInstanceOf(CambTimeoutError);
    expect(log.error).toMatchObject({ code: 'CAMB_TIMEOUT', taskId: 'task-1', timeoutMs: 5000, lastStatus: { status: 'PENDING', poll: 1 } });
    expect(fetch.calls[1]?.init.signal.aborted).toBe(true);
  });

  it('fails at timeoutMs without lastStatus when nothing was read', async () => {
    const { log } = watch(['never'], { timeoutMs: 2000, requestTimeoutMs: Infinity });
    await vi.advanceTimersByTimeAsync(2000);
    expect(log.error).toBeInstanceOf(CambTimeoutError);
    expect((log.error as CambTimeoutError).lastStatus).toBeUndefined();
  });

  it('never lets retries extend the deadline', async () => {
    const { fetch, log } = watch([httpAnswer(429, { detail: 'slow down' }, { 'retry-after': '30' })], {
      timeoutMs: 5000,
      retry: { maxRetries: 10, maxRetryAfterMs: 60_000 },
    });
    await vi.advanceTimersByTimeAsync(5000);
    expect(log.error).toBeInstanceOf(CambTimeoutError);
    expect(fetch.calls).toHaveLength(1);
  });

  it('aborts a request that passes requestTimeoutMs as a CambTransportError', async () => {
    const { fetch, log } = watch(['never'], { requestTimeoutMs: 3000 });
    await vi.advanceTimersByTimeAsync(2999);
    expect(log.error).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(log.error).toBeInstanceOf(CambTransportError);
    expect(log.error).toMatchObject({ failure: 'timeout', method: 'GET', url: `${baseUrl}/transcribe/task-1` });
    expect(fetch.calls[0]?.init.signal.aborted).toBe(true);
  });

  it('retries a request timeout, and the retry gets a timeout of its own', async () => {
    const { fetch, log } = watch(['never'], { requestTimeoutMs: 3000, retry: { maxRetries: 1, baseDelayMs: 0 } });
    await vi.advanceTimersByTimeAsync(3001); // timed out at 3000, retried after timer(0)
    expect(fetch.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2999);
    expect(log.error).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(log.error).toMatchObject({ name: 'CambTransportError', failure: 'timeout' });
    expect(fetch.calls.map((call) => call.init.signal.aborted)).toEqual([true, true]);
  });

  it.each([401, 403, 404, 422])('fails fast on %i with one request, even with retries on', async (status) => {
    const { fetch, log } = watch([httpAnswer(status, { detail: [{ loc: ['path'], msg: 'bad', type: 'x' }] })], { retry: 5 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(log.error).toBeInstanceOf(CambHttpError);
    expect(log.error).toMatchObject({ code: 'CAMB_HTTP_ERROR', status, url: `${baseUrl}/transcribe/task-1` });
    expect((log.error as CambHttpError).bodyExcerpt).toContain('"msg":"bad"');
    expect(fetch.calls).toHaveLength(1);
  });

  it('retries a 503 after its Retry-After and recovers within the same poll', async () => {
    const events: RetryEvent[] = [];
    const { fetch, log } = watch([httpAnswer(503, 'busy', { 'retry-after': '2' }), { status: 'SUCCESS', run_id: 3 }], { retry: { maxRetries: 2, onRetry: (e) => events.push(e) } });
    await vi.advanceTimersByTimeAsync(1999);
    expect(fetch.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(log.values.map((s) => [s.status, s.poll, s.elapsedMs])).toEqual([['SUCCESS', 1, 2000]]);
    expect(events.map((e) => [e.attempt, e.delayMs, e.serverDirected])).toEqual([[1, 2000, true]]);
    expect(log.complete).toBe(true);
  });

  it('backs off with full jitter up to maxRetries consecutive retries, then fails with the last error', async () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const events: RetryEvent[] = [];
    const { fetch, log } = watch([httpAnswer(500)], { retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 300, onRetry: (e) => events.push(e) } });
    await vi.advanceTimersByTimeAsync(10_000);
    random.mockRestore();
    expect(events.map((e) => [e.attempt, e.delayMs, e.serverDirected])).toEqual([
      [1, 50, false],
      [2, 100, false],
      [3, 150, false],
    ]);
    expect(fetch.calls).toHaveLength(4);
    expect(log.error).toMatchObject({ status: 500 });
  });

  it('resets the retry count on every new poll', async () => {
    const { fetch, log } = watch([httpAnswer(502), { status: 'PENDING' }, httpAnswer(502), { status: 'SUCCESS' }], { retry: { maxRetries: 1, baseDelayMs: 0 } });
    await vi.advanceTimersByTimeAsync(5000);
    expect(fetch.calls).toHaveLength(4);
    expect(log.values.map((s) => [s.status, s.poll])).toEqual([
      ['PENDING', 1],
      ['SUCCESS', 2],
    ]);
  });

  it('refuses a Retry-After above maxRetryAfterMs at once, saying why', async () => {
    const { fetch, log } = watch([httpAnswer(429, {}, { 'retry-after': '120' })], { retry: { maxRetryAfterMs: 60_000 } });
    await vi.advanceTimersByTimeAsync(0);
    expect(log.error).toBeInstanceOf(CambHttpError);
    expect((log.error as Error).message).toMatch(/above maxRetryAfterMs \(60000 ms\)/);
    expect(fetch.calls).toHaveLength(1);
  });

  it('treats a 404 within notFoundGraceMs as not visible yet, and fails after it', async () => {
    const contexts: unknown[] = [];
    const early = watch([httpAnswer(404), httpAnswer(404), { status: 'SUCCESS' }], {
      notFoundGraceMs: 5000,
      interval: (context) => (contexts.push(context), 1000),
    });
    await vi.advanceTimersByTimeAsync(2000);
    expect(early.log.values.map((s) => [s.status, s.poll, s.elapsedMs])).toEqual([['SUCCESS', 1, 2000]]);
    expect(contexts).toEqual([
      { poll: 0, elapsedMs: 0 },
      { poll: 0, elapsedMs: 1000 },
    ]);
    const late = watch([httpAnswer(404)], { notFoundGraceMs: 1500 });
    await vi.advanceTimersByTimeAsync(2000);
    expect(late.fetch.calls).toHaveLength(3); // t=0, t=1000, t=2000 (past the grace)
    expect(late.log.error).toMatchObject({ status: 404 });
  });

  it.each([
    ['an HTML error page', new Response('<html><body>Bad gateway</body></html>', { headers: { 'content-type': 'text/html' } }), 'body is not JSON'],
    ['broken JSON', new Response('{"status": "PEND'), 'body is not JSON'],
    ['a missing status', { run_id: 1 }, 'status'],
    ['a wrong type', { status: 'SUCCESS', run_id: 'seven' }, 'run_id'],
    ['a bare array', [{ status: 'SUCCESS' }], '(body)'],
  ])('ends in CambSchemaError on %s, without retrying', async (_, answer, problem) => {
    const { fetch, log } = watch([answer], { retry: 3 });
    await vi.advanceTimersByTimeAsync(0);
    expect(log.error).toBeInstanceOf(CambSchemaError);
    expect((log.error as Error).message).toContain(problem);
    expect((log.error as CambSchemaError).bodyExcerpt.length).toBeLessThanOrEqual(301);
    expect(fetch.calls).toHaveLength(1);
  });

  it('reads bodies only up to maxBodyBytes, with or without a Content-Length', async () => {
    const big = { status: 'PENDING', message: 'x'.repeat(5000) };
    const streamed = watch([big], { maxBodyBytes: 1024 });
    const declared = watch([new Response(JSON.stringify(big), { headers: { 'content-length': String(JSON.stringify(big).length) } })], { maxBodyBytes: 1024 });
    await vi.advanceTimersByTimeAsync(10);
    for (const { log } of [streamed, declared]) {
      expect(log.error).toBeInstanceOf(CambSchemaError);
      expect((log.error as Error).message).toContain('body exceeds 1024 bytes');
    }
  });

  it('aborts the request in flight and clears every timer on unsubscribe', async () => {
    const { fetch, log } = watch(['never']);
    await vi.advanceTimersByTimeAsync(100);
    log.subscription.unsubscribe();
    expect(fetch.calls[0]?.init.signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetch.calls).toHaveLength(1);
    expect(log.error).toBeUndefined();
  });

  it('unsubscribing between reads sends nothing more and aborts nothing that already settled', async () => {
    const { fetch, log } = watch([{ status: 'PENDING' }]);
    await vi.advanceTimersByTimeAsync(500);
    log.subscription.unsubscribe();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fetch.calls).toHaveLength(1);
    expect(fetch.calls[0]?.init.signal.aborted).toBe(false);
  });

  it('stops when the consumer takes what it needs', async () => {
    const fetch = stubFetch({ status: 'PENDING' });
    const firstTwo = lastValueFrom(path.watch('transcribe', 'task-1', { apiKey, baseUrl, fetch, interval: 1000, retry: false }).pipe(take(2), toArray()));
    await vi.advanceTimersByTimeAsync(5000);
    expect((await firstTwo).map((s) => s.poll)).toEqual([1, 2]);
    expect(fetch.calls).toHaveLength(2);
  });

  it('ends with the signal’s reason on abort, and sends nothing for an already-aborted signal', async () => {
    const controller = new AbortController();
    const { fetch, log } = watch(['never'], { signal: controller.signal });
    controller.abort();
    expect((log.error as DOMException).name).toBe('AbortError');
    expect(fetch.calls[0]?.init.signal.aborted).toBe(true);

    const aborted = watch([{ status: 'PENDING' }], { signal: AbortSignal.abort(new Error('gone')) });
    expect(aborted.fetch.calls).toHaveLength(0);
    expect((aborted.log.error as Error).message).toBe('gone');
  });

  it('tells an adaptive cadence what the task showed, once, however it ends', async () => {
    const observations: unknown[] = [];
    const cadence = { nextDelayMs: () => 1000, observe: (o: unknown) => observations.push(o) };
    const finished = watch([{ status: 'PENDING' }, { status: 'PENDING' }, { status: 'SUCCESS' }], { interval: cadence });
    await vi.advanceTimersByTimeAsync(2000);
    expect(finished.log.complete).toBe(true);
    expect(observations).toEqual([{ runningAtMs: 1000, finishedByMs: 2000 }]);
    const dropped = watch([{ status: 'PENDING' }], { interval: cadence });
    await vi.advanceTimersByTimeAsync(500);
    dropped.log.subscription.unsubscribe();
    expect(observations).toEqual([{ runningAtMs: 1000, finishedByMs: 2000 }, { runningAtMs: 0 }]);
  });

  it('counts ages from taskCreatedAt, and the deadline from subscription', async () => {
    const { log } = watch([{ status: 'PENDING' }], { taskCreatedAt: Date.now() - 60_000, timeoutMs: 1500 });
    await vi.advanceTimersByTimeAsync(1500);
    expect(log.values.map((s) => s.elapsedMs)).toEqual([60_000, 61_000]);
    expect(log.error).toMatchObject({ name: 'CambTimeoutError', timeoutMs: 1500 });
  });

  it('holds new reads while the page is hidden (pauseWhenHidden), with one listener that unsubscribing removes', async () => {
    const page = fakePage('hidden');
    vi.stubGlobal('document', page);
    const { fetch, log } = watch([{ status: 'PENDING' }]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fetch.calls).toHaveLength(0);
    expect(page.listeners).toBe(1);
    page.visibilityState = 'visible';
    page.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch.calls).toHaveLength(1);
    expect(page.listeners).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetch.calls).toHaveLength(2); // shown: reads go on at the cadence
    page.visibilityState = 'hidden';
    await vi.advanceTimersByTimeAsync(5000);
    expect(fetch.calls).toHaveLength(2);
    expect(page.listeners).toBe(1);
    log.subscription.unsubscribe();
    expect(page.listeners).toBe(0);
  });

  it('waits for `online` while navigator.onLine is false, instead of sending and spending a retry', async () => {
    const window = fakePage('visible');
    vi.stubGlobal('navigator', { onLine: false });
    vi.stubGlobal('addEventListener', window.addEventListener);
    vi.stubGlobal('removeEventListener', window.removeEventListener);
    const { fetch, log } = watch([{ status: 'PENDING' }, { status: 'SUCCESS', run_id: 1 }], { retry: 1 });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetch.calls).toHaveLength(0);
    expect(log.error).toBeUndefined();
    vi.stubGlobal('navigator', { onLine: true });
    window.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetch.calls).toHaveLength(2);
    expect(log.complete).toBe(true);
    expect(window.listeners).toBe(0);
  });

  it('never shows the API key in any error, toString, JSON or inspect output', async () => {
    const answers: StubAnswer[][] = [[httpAnswer(401, { detail: 'bad key' })], ['never'], [new Response('nope')], [{ status: 'PENDING' }, 'never']];
    const errors: unknown[] = [];
    for (const list of answers) {
      const { log } = watch(list, { requestTimeoutMs: 100, timeoutMs: 500 });
      await vi.advanceTimersByTimeAsync(1000);
      errors.push(log.error);
    }
    expect(errors.map((e) => (e as Error).name)).toEqual(['CambHttpError', 'CambTransportError', 'CambSchemaError', 'CambTimeoutError']);
    for (const error of errors) {
      for (const text of [String(error), (error as Error).message, JSON.stringify(error), inspect(error, { depth: 10 })]) expect(text).not.toContain(apiKey);
    }
  });
});
