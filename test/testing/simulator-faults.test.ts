import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { CambSimulator, Fault } from '../../src/testing/index.js';
import { readStatuses, simFetch, useSimulators } from '../_helpers/simulator-harness.js';

const start = useSimulators();

/** A simulator with one transcribe task `t` that is PENDING once, then SUCCESS with run id 7. */
async function withTask(): Promise<CambSimulator> {
  return start({ tasks: [{ id: 't', pendingPolls: 1, outcome: { status: 'SUCCESS', runId: 7 } }] });
}

const pendingBody = { status: 'PENDING', run_id: null, exception_reason: null, message: null };

describe('faults: answers in place of the normal one', () => {
  it('http: a status with CAMB\'s {"detail"} body by default, and the fault is logged', async () => {
    const simulator = await withTask();
    simulator.injectFault({ type: 'http', status: 503 });
    const res = await simFetch(simulator, '/transcribe/t');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ detail: 'Service Unavailable' });
    expect(simulator.requests[0]).toMatchObject({ status: 503, fault: { type: 'http', status: 503 } });
  });

  it('http: 429 with Retry-After in seconds or as an HTTP date, custom body and headers', async () => {
    const simulator = await withTask();
    const until = new Date(Date.UTC(2030, 0, 2, 3, 4, 5));
    simulator.injectFault({ type: 'http', status: 429, retryAfter: 2 });
    simulator.injectFault({ type: 'http', status: 429, retryAfter: until });
    simulator.injectFault({ type: 'http', status: 500, body: { oops: true }, headers: { 'X-Trace': 'abc' } });
    const seconds = await simFetch(simulator, '/transcribe/t');
    expect(seconds.status).toBe(429);
    expect(seconds.headers.get('retry-after')).toBe('2');
    const date = await simFetch(simulator, '/transcribe/t');
    expect(date.headers.get('retry-after')).toBe('Wed, 02 Jan 2030 03:04:05 GMT');
    const custom = await simFetch(simulator, '/transcribe/t');
    expect(custom.status).toBe(500);
    expect(custom.headers.get('x-trace')).toBe('abc');
    expect(await custom.json()).toEqual({ oops: true });
  });

  it('reset-before-headers: fetch rejects and nothing was answered', async () => {
    const simulator = await withTask();
    simulator.injectFault({ type: 'reset-before-headers' });
    await expect(simFetch(simulator, '/transcribe/t')).rejects.toThrow(TypeError);
    const entry = await simulator.waitForRequest((e) => e.finishedAt !== undefined);
    expect(entry.status).toBeUndefined();
    expect(entry.closedByClient).toBe(false);
    expect(await readStatuses(simulator, '/transcribe/t', 1)).toEqual(['PENDING']);
  });

  it('reset-mid-body: headers with a Content-Length arrive, reading the body fails', async () => {
    const simulator = await withTask();
    simulator.injectFault({ type: 'reset-mid-body' });
    const res = await simFetch(simulator, '/transcribe/t');
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBe(JSON.stringify(pendingBody).length);
    await expect(res.text()).rejects.toThrow();
  });

  it('hang: never answers; an aborted client is seen as closedByClient', async () => {
    const simulator = await withTask();
    simulator.injectFault({ type: 'hang' });
    const controller = new AbortController();
    const pending = simFetch(simulator, '/transcribe/t', { signal: controller.signal });
    const entry = await simulator.waitForRequest((e) => e.route === 'status');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(entry.finishedAt).toBeUndefined();
    expect(simulator.stats.inFlight).toBe(1);
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    const closed = await simulator.waitForClose(entry, 2000);
    expect(closed.closedByClient).toBe(true);
    expect(closed.status).toBeUndefined();
    expect(simulator.stats.inFlight).toBe(0);
    expect(simulator.task('t').polls).toBe(0);
  });

  it('drip: the normal body, sent slowly in small chunks', async () => {
    const simulator = await withTask();
    simulator.injectFault({ type: 'drip', bytesPerChunk: 20, chunkIntervalMs: 25 });
    const started = performance.now();
    const res = await simFetch(simulator, '/transcribe/t');
    expect(await res.json()).toEqual(pendingBody);
    const chunks = Math.ceil(JSON.stringify(pendingBody).length / 20);
    expect(performance.now() - started).toBeGreaterThanOrEqual((chunks - 1) * 25 - 5);
    expect(simulator.task('t').polls).toBe(1);
  });

  it('delay: the normal answer after a pause; it counts as a read', async () => {
    const simulator = await withTask();
    simulator.injectFault({ type: 'delay', ms: 120 });
    const started = performance.now();
    expect(await readStatuses(simulator, '/transcribe/t', 1)).toEqual(['PENDING']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    expect(await readStatuses(simulator, '/transcribe/t', 1)).toEqual(['SUCCESS']);
  });

  it('delay: a client gone before the answer does not move the lifecycle on', async () => {
    const simulator = await withTask();
    simulator.injectFault({ type: 'delay', ms: 5000 });
    const controller = new AbortController();
    const pending = simFetch(simulator, '/transcribe/t', { signal: controller.signal });
    const entry = await simulator.waitForRequest();
    controller.abort();
    await expect(pending).rejects.toThrow();
    await simulator.waitForClose(entry);
    expect(simulator.task('t')).toMatchObject({ requests: 1, polls: 0 });
  });

  it('malformed-json: 200 application/json that does not parse', async () => {
    const simulator = await withTask();
    simulator.injectFault({ type: 'malformed-json' });
    const res = await simFetch(simulator, '/transcribe/t');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it('html-error: an HTML page, 502 by default', async () => {
    const simulator = await withTask();
    simulator.injectFault({ type: 'html-error' });
    simulator.injectFault({ type: 'html-error', status: 504 });
    const bad = await simFetch(simulator, '/transcribe/t');
    expect(bad.status).toBe(502);
    expect(bad.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await bad.text()).toContain('<title>502 Bad Gateway</title>');
    expect((await simFetch(simulator, '/transcribe/t')).status).toBe(504);
  });

  it('oversize: a 200 body of exactly that many bytes, without Content-Length', async () => {
    const simulator = await withTask();
    simulator.injectFault({ type: 'oversize', bytes: 300_000 });
    simulator.injectFault({ type: 'oversize', bytes: 10 });
    const big = await simFetch(simulator, '/transcribe/t');
    expect(big.status).toBe(200);
    expect(big.headers.get('content-length')).toBeNull();
    const text = await big.text();
    expect(text).toHaveLength(300_000);
    expect(text.startsWith('{"status":"PENDING","padding":"')).toBe(true);
    expect(JSON.parse(text)).toHaveProperty('status', 'PENDING');
    expect(await (await simFetch(simulator, '/transcribe/t')).text()).toHaveLength(10);
  });

  it('wrong-content-type: the valid status body as text/plain, without moving the lifecycle', async () => {
    const simulator = await withTask();
    simulator.injectFault({ type: 'wrong-content-type' });
    const res = await simFetch(simulator, '/transcribe/t');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(JSON.parse(await res.text())).toEqual(pendingBody);
    expect(simulator.task('t').polls).toBe(0);
  });

  it('body: anything raw, 200 application/json by default', async () => {
    const simulator = await withTask();
    simulator.injectFault({ type: 'body', body: '{"status": 5}' });
    simulator.injectFault({ type: 'body', status: 418, body: 'teapot', contentType: 'text/x-teapot' });
    const first = await simFetch(simulator, '/transcribe/t');
    expect([first.status, first.headers.get('content-type'), await first.text()]).toEqual([200, 'application/json', '{"status": 5}']);
    const second = await simFetch(simulator, '/transcribe/t');
    expect([second.status, second.headers.get('content-type'), await second.text()]).toEqual([418, 'text/x-teapot', 'teapot']);
  });

  it('faults apply to other endpoints too, e.g. a create (which then registers no task)', async () => {
    const simulator = await start();
    simulator.injectFault({ type: 'wrong-content-type' }, { path: '/apis/transcribe' });
    const form = new FormData();
    form.set('language', '1');
    form.set('media_url', 'https://example.com/a.mp3');
    const res = await simFetch(simulator, '/transcribe', { method: 'POST', body: form });
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(JSON.parse(await res.text())).toHaveProperty('task_id');
    expect(simulator.tasks).toHaveLength(0);
  });
});

describe('faults: lifecycle and precedence', () => {
  it('a faulted status read does not move the lifecycle on', async () => {
    const simulator = await start({ tasks: [{ id: 't', pendingPolls: 1, faults: { 1: { type: 'http', status: 500 }, 3: { type: 'reset-before-headers' } } }] });
    expect((await simFetch(simulator, '/transcribe/t')).status).toBe(500);
    expect(await readStatuses(simulator, '/transcribe/t', 1)).toEqual(['PENDING']);
    await expect(simFetch(simulator, '/transcribe/t')).rejects.toThrow();
    expect(await readStatuses(simulator, '/transcribe/t', 1)).toEqual(['SUCCESS']);
    expect(simulator.task('t')).toMatchObject({ requests: 4, polls: 2, status: 'SUCCESS' });
  });

  it('task faults can be a function of the request number', async () => {
    const simulator = await start({
      tasks: [{ id: 't', faults: (n) => (n % 2 === 1 ? { type: 'http', status: 502 } : undefined) }],
    });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await simFetch(simulator, '/transcribe/t')).status);
    expect(statuses).toEqual([502, 200, 502, 200]);
  });

  it('a faults function returning a non-fault gives a 500 naming the problem', async () => {
    const simulator = await start({ tasks: [{ id: 't', faults: () => ({ type: 'explode' }) as unknown as Fault }] });
    const res = await simFetch(simulator, '/transcribe/t');
    expect(res.status).toBe(500);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/type must be one of/);
  });

  it('takes the task\'s fault first, then the injected queue, then random faults', async () => {
    const simulator = await start({
      tasks: [{ id: 't', faults: { 1: { type: 'http', status: 500 } } }],
      randomFaults: { rate: 1, faults: [{ type: 'http', status: 503 }] },
    });
    simulator.injectFault({ type: 'http', status: 502 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await simFetch(simulator, '/transcribe/t')).status);
    expect(statuses).toEqual([500, 502, 503]);
    expect(simulator.requests.map((entry) => entry.fault)).toEqual([
      { type: 'http', status: 500 },
      { type: 'http', status: 502 },
      { type: 'http', status: 503 },
    ]);
  });

  it('injected faults match their path (string or RegExp) and apply `times` times, oldest first', async () => {
    const simulator = await start({ tasks: [{ id: 'a' }, { id: 'b' }] });
    simulator.injectFault({ type: 'http', status: 502 }, { path: '/apis/transcribe/b', times: 2 });
    simulator.injectFault({ type: 'http', status: 504 }, { path: /\/transcribe\// });
    const seen: Array<[string, number]> = [];
    for (const id of ['a', 'b', 'a', 'b', 'b']) seen.push([id, (await simFetch(simulator, `/transcribe/${id}`)).status]);
    expect(seen).toEqual([['a', 504], ['b', 502], ['a', 200], ['b', 502], ['b', 200]]);
  });

  it('times: Infinity keeps a fault until the simulator closes', async () => {
    const simulator = await withTask();
    simulator.injectFault({ type: 'http', status: 503 }, { times: Number.POSITIVE_INFINITY });
    for (let i = 0; i < 5; i += 1) expect((await simFetch(simulator, '/transcribe/t')).status).toBe(503);
  });

  it('faults never apply to requests without a valid key (they get 401)', async () => {
    const simulator = await withTask();
    simulator.injectFault({ type: 'http', status: 503 });
    expect((await fetch(`${simulator.url}/transcribe/t`)).status).toBe(401);
    expect((await simFetch(simulator, '/transcribe/t')).status).toBe(503);
  });
});

describe('faults: random', () => {
  async function run(seed: number): Promise<number[]> {
    const simulator = await start({
      tasks: [{ id: 't' }],
      randomFaults: { rate: 0.4, seed, faults: [{ type: 'http', status: 503 }, { type: 'http', status: 429 }] },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i += 1) statuses.push((await simFetch(simulator, '/transcribe/t')).status);
    return statuses;
  }

  it('are reproducible with a seed and follow the rate', async () => {
    const first = await run(42);
    const again = await run(42);
    expect(again).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 503, 429]));
    const faulted = first.filter((status) => status !== 200).length;
    expect(faulted).toBeGreaterThan(3);
    expect(faulted).toBeLessThan(27);
    expect(await run(7)).not.toEqual(first);
  });

  it('respect their path', async () => {
    const simulator = await start({
      tasks: [{ id: 't', outcome: { status: 'SUCCESS', runId: 1 } }],
      randomFaults: { rate: 1, faults: [{ type: 'http', status: 503 }], path: /^\/apis\/transcription-result\// },
    });
    expect((await simFetch(simulator, '/transcribe/t')).status).toBe(200);
    expect((await simFetch(simulator, '/transcription-result/1')).status).toBe(503);
  });
});
