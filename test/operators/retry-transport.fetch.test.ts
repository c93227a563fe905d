import { lastValueFrom, type Observable } from 'rxjs';
import { fromFetch } from 'rxjs/fetch';
import { describe, expect, it } from 'vitest';
import { isCambHttpError, retryTransport, type RetryEvent } from '../../src/index.js';
import type { CambSimulator } from '../../src/testing/index.js';
import { statusRequests, useIntegrationHarness } from '../_helpers/integration-harness.js';

const { start } = useIntegrationHarness();

/** rxjs' own fromFetch of a status path, as the README's example writes it. */
const statusFetch = (sim: CambSimulator, taskId: string): Observable<Response> =>
  fromFetch(`${sim.url}/transcribe/${taskId}`, { headers: { 'x-api-key': sim.apiKey } });

describe('retryTransport after fromFetch, which emits a failed Response as a value, over real sockets', () => {
  it('retries a 503 Response and emits the good one', async () => {
    const sim = await start({ tasks: [{ id: 't1', outcome: { status: 'SUCCESS', runId: 7 } }] });
    sim.injectFault({ type: 'http', status: 503 }, { times: 2 });
    const events: RetryEvent[] = [];
    const response = await lastValueFrom(statusFetch(sim, 't1').pipe(retryTransport({ maxRetries: 3, baseDelayMs: 5, onRetry: (e) => events.push(e) })));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'SUCCESS', run_id: 7 });
    expect(statusRequests(sim).map((entry) => entry.status)).toEqual([503, 503, 200]);
    expect(events.map((e) => [e.attempt, isCambHttpError(e.error) && e.error.status, e.serverDirected])).toEqual([
      [1, 503, false],
      [2, 503, false],
    ]);
  });

  it('honours the Retry-After of a 429 Response exactly', async () => {
    const sim = await start({ tasks: [{ id: 't1' }] });
    sim.injectFault({ type: 'http', status: 429, retryAfter: 0 });
    const events: RetryEvent[] = [];
    const response = await lastValueFrom(statusFetch(sim, 't1').pipe(retryTransport({ onRetry: (e) => events.push(e) })));
    expect(response.status).toBe(200);
    expect(events.map((e) => [e.delayMs, e.serverDirected])).toEqual([[0, true]]);
  });

  it('passes a Response that is not retried through as the value it was: a 404 at once, a 503 once retries run out', async () => {
    const sim = await start({ tasks: [{ id: 't1' }] });
    const missing = await lastValueFrom(statusFetch(sim, 'nope').pipe(retryTransport(3)));
    expect(missing.status).toBe(404);
    expect(statusRequests(sim)).toHaveLength(1);

    sim.injectFault({ type: 'http', status: 503, body: { detail: 'busy' } }, { times: 3 });
    const busy = await lastValueFrom(statusFetch(sim, 't1').pipe(retryTransport({ maxRetries: 2, baseDelayMs: 5 })));
    expect(busy.status).toBe(503);
    expect(await busy.json()).toEqual({ detail: 'busy' }); // its body is still there to read
    expect(statusRequests(sim)).toHaveLength(1 + 3);
  });

  it('unsubscribing while it waits to retry leaves no timer and no socket (checked after the test)', async () => {
    const sim = await start({ tasks: [{ id: 't1' }] });
    sim.injectFault({ type: 'http', status: 503, retryAfter: 30 });
    let waiting!: () => void;
    const retrying = new Promise<void>((resolve) => (waiting = resolve));
    const subscription = statusFetch(sim, 't1').pipe(retryTransport({ onRetry: () => waiting() })).subscribe();
    await retrying;
    subscription.unsubscribe();
    expect(statusRequests(sim)).toHaveLength(1);
  });

  it('leaves a 503 Response alone when retryOn says no', async () => {
    const sim = await start({ tasks: [{ id: 't1' }] });
    sim.injectFault({ type: 'http', status: 503 });
    const response = await lastValueFrom(statusFetch(sim, 't1').pipe(retryTransport({ retryOn: () => false })));
    expect(response.status).toBe(503);
    expect(statusRequests(sim)).toHaveLength(1);
  });
});
