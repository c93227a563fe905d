import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { CambHttpError, CambSchemaError, CambTransportError, isCambHttpError, isRetryableError, retryTransport, type RetryEvent } from '../../src/index.js';
import { testScheduler } from '../_helpers/marbles.js';

const url = 'https://client.camb.ai/apis/transcribe/t1';
const http = (status: number, retryAfterMs?: number) =>
  new CambHttpError({ status, method: 'GET', url, ...(retryAfterMs !== undefined && { retryAfterMs }) });
const transport = () => new CambTransportError({ failure: 'network', method: 'GET', url, detail: 'fetch failed: ECONNRESET' });

let scheduler: TestScheduler;
beforeEach(() => (scheduler = testScheduler()));

describe('retryTransport (marbles)', () => {
  it('waits Retry-After exactly, without jitter, then resubscribes', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, http(429, 5));
      const events: RetryEvent[] = [];
      const retried = source.pipe(retryTransport({ maxRetries: 2, scheduler, onRetry: (e) => events.push(e) }));
      expectObservable(retried).toBe('-' + '-----' + '-' + '-----' + '-#', undefined, http(429, 5));
      expectSubscriptions(source.subscriptions).toBe(['^!', '------^!', '------------^!']);
      scheduler.flush();
      expect(events.map(({ attempt, delayMs, serverDirected }) => [attempt, delayMs, serverDirected])).toEqual([
        [1, 5, true],
        [2, 5, true],
      ]);
    });
  });

  it('backs off with full jitter within the exponential cap, then passes the error on', () => {
    const delays: number[] = [];
    let failedWith: unknown;
    const source = scheduler.createColdObservable('#', undefined, transport());
    source
      .pipe(retryTransport({ maxRetries: 5, baseDelayMs: 10, maxDelayMs: 35, scheduler, onRetry: (e) => delays.push(e.delayMs) }))
      .subscribe({ error: (e) => (failedWith = e) });
    scheduler.flush();
    expect(failedWith).toBeInstanceOf(CambTransportError);
    expect(source.subscriptions).toHaveLength(6);
    expect(delays).toHaveLength(5);
    delays.forEach((delay, i) => {
      expect(Number.isInteger(delay)).toBe(true); // whole ms, as a timer waits
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(Math.min(35, 10 * 2 ** i));
    });
  });

  it('fails fast, with no resubscription, on 4xx other than 408/429 and on schema errors', () => {
    for (const error of [http(400), http(401), http(403), http(404), http(422), new CambSchemaError({ url, problem: 'x', bodyExcerpt: '' })]) {
      scheduler = testScheduler();
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('--#', undefined, error);
        expectObservable(source.pipe(retryTransport({ scheduler }))).toBe('--#', undefined, error);
        expectSubscriptions(source.subscriptions).toBe('^-!');
      });
    }
  });

  it('refuses a Retry-After above maxRetryAfterMs with a clear CambHttpError', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('#', undefined, http(429, 120_000));
      let error: unknown;
      source.pipe(retryTransport({ maxRetryAfterMs: 60_000, scheduler })).subscribe({ error: (e) => (error = e) });
      expectObservable(source).toBe('#', undefined, http(429, 120_000));
      scheduler.flush();
      expect(isCambHttpError(error) && error.status).toBe(429);
      expect((error as Error).message).toMatch(/Retry-After of 120000 ms is above maxRetryAfterMs \(60000 ms\)/);
    });
  });

  it('counts consecutive failures only: a value resets the count', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('a#', { a: 1 }, http(503, 1));
      const counted = source.pipe(retryTransport({ maxRetries: 1, scheduler }));
      // each attempt emits a value before failing, so 1 retry is always available: it never gives up
      expectObservable(counted, '^-----------!').toBe('a-a-a-a-a-a-', { a: 1 });
    });
  });

  it('accepts a number as maxRetries', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', undefined, http(500, 2));
      expectObservable(source.pipe(retryTransport({ maxRetries: 1, scheduler }))).toBe('--#', undefined, http(500, 2));
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '--(^!)']);
    });
    expect(() => retryTransport(3)).not.toThrow();
  });

  it('lets retryOn override the classification', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', undefined, http(404, 1));
      const retried = source.pipe(retryTransport({ maxRetries: 2, scheduler, retryOn: (e) => isCambHttpError(e) && e.status === 404 }));
      expectObservable(retried).toBe('--#', undefined, http(404, 1));
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '-(^!)', '--(^!)']);
    });
  });

  it('cancels a pending retry on unsubscribe', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, http(503, 10));
      expectObservable(source.pipe(retryTransport({ scheduler })), '^----!').toBe('-----');
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it('throws TypeError at call time for bad options', () => {
    expect(() => retryTransport(-1)).toThrow(TypeError);
    expect(() => retryTransport({ baseDelayMs: Number.NaN })).toThrow(/retry.baseDelayMs/);
    expect(() => retryTransport({ retryOn: 'yes' as never })).toThrow(/retry.retryOn/);
  });
});

describe('isRetryableError', () => {
  it('retries transport errors, 408, 429 and 5xx only', () => {
    expect([transport(), http(408), http(429), http(500), http(502), http(503), http(504)].every(isRetryableError)).toBe(true);
    expect([http(400), http(401), http(403), http(404), http(409), http(422)].some(isRetryableError)).toBe(false);
  });

  it("recognises foreign fetch failures by each runtime's wording", () => {
    const messages = ['fetch failed', 'Failed to fetch', 'Load failed', 'NetworkError when attempting to fetch resource.', 'Network request failed', 'request to https://x/ failed, reason: socket hang up'];
    for (const message of messages) expect(isRetryableError(new TypeError(message))).toBe(true);
    expect(isRetryableError(new TypeError('x is not a function'))).toBe(false);
    expect(isRetryableError(new DOMException('aborted', 'AbortError'))).toBe(false);
  });
});
