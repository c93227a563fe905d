import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { resolveBudgetOptions } from '../../src/budget/budget-options.js';
import { ABANDONED_LINGER_MS, RequestBudget } from '../../src/budget/request-budget.js';
import { resolveCambOptions } from '../../src/connection/connection-options.js';
import type { FetchInit, FetchLike, FetchResponse } from '../../src/index.js';
import { sendRequest$ } from '../../src/http/send-request.js';

/*
 * How a request under a budget gives its slot back: only once its exchange is over, so that the
 * server never sees the next request while it still works on the last one.
 */

const schema = z.object({ status: z.string() });

/** A fetch whose calls settle only when the test says so; an abort is noticed, not obeyed at once. */
function manualFetch() {
  const calls: { url: string; init: FetchInit; settle: (response?: FetchResponse) => void }[] = [];
  const fetch: FetchLike = (url, init) =>
    new Promise<FetchResponse>((resolve, reject) => {
      const settle = (response?: FetchResponse) => (response ? resolve(response) : reject(init.signal.reason));
      calls.push({ url, init, settle });
    });
  return { fetch, calls };
}

const ok = (): FetchResponse => ({ status: 200, statusText: 'OK', headers: { get: () => null }, text: async () => '{"status":"PENDING"}' });

function setUp() {
  const scheduler = new TestScheduler(() => undefined);
  const budget = new RequestBudget(resolveBudgetOptions({ maxConcurrentRequests: 1, maxRequestsPerSecond: Infinity }), scheduler);
  const stub = manualFetch();
  const connection = { ...resolveCambOptions({ apiKey: 'k', fetch: stub.fetch, scheduler, retry: false }), budget };
  const request = (id: string) => sendRequest$({ method: 'GET', path: `transcribe/${id}` }, schema, connection);
  return { scheduler, budget, stub, request };
}

const flushMicrotasks = () => new Promise((resolve) => setImmediate(resolve));

describe('sendRequest$ under a budget: the slot of an abandoned request', () => {
  it('is held until the aborted fetch has settled, and for the linger after it', async () => {
    const { scheduler, budget, stub, request } = setUp();
    const first = request('a').subscribe({ error: () => undefined });
    request('b').subscribe({ error: () => undefined });
    expect(stub.calls.map((call) => call.url)).toEqual([expect.stringMatching(/\/a$/)]);

    first.unsubscribe();
    expect(stub.calls[0]!.init.signal.aborted).toBe(true);
    await flushMicrotasks();
    scheduler.flush();
    // Aborted, but its fetch has not settled (its connection is still closing): b waits, however long.
    expect(stub.calls).toHaveLength(1);
    expect(budget.running).toBe(1);

    stub.calls[0]!.settle();
    await flushMicrotasks();
    expect(stub.calls).toHaveLength(1); // the linger: the close reaches the server first
    scheduler.flush();
    expect(scheduler.now()).toBe(ABANDONED_LINGER_MS);
    expect(stub.calls.map((call) => call.url)).toEqual([expect.stringMatching(/\/a$/), expect.stringMatching(/\/b$/)]);
  });

  it('is handed on at once when the exchange ended normally', async () => {
    const { scheduler, stub, request } = setUp();
    request('a').subscribe();
    request('b').subscribe();
    stub.calls[0]!.settle(ok());
    await flushMicrotasks();
    expect(scheduler.now()).toBe(0);
    expect(stub.calls).toHaveLength(2);
  });
});
