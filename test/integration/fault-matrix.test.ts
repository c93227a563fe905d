import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import crossFetch from 'cross-fetch';
import { describe, expect, it } from 'vitest';
import {
  CambErrorCodes,
  CambHttpError,
  CambSchemaError,
  isCambHttpError,
  isCambTransportError,
  isRetryableError,
  transcriptionStatus$,
  type FetchLike,
  type PollOptions,
  type RetryEvent,
  type TaskStatus,
} from '../../src/index.js';
import type { CambSimulator, Fault, TaskFaults } from '../../src/testing/index.js';
import { collect, probeFetch, simOptions, sleep, statusRequests, useIntegrationHarness, type Collected } from '../_helpers/integration-harness.js';

const { start } = useIntegrationHarness();

const RETRY = { maxRetries: 4, baseDelayMs: 5, maxDelayMs: 20 } as const;

/** One run of task `f` (SUCCESS with run id 7 at its first good read) under `faults`, with every retry recorded. */
async function runTask(
  faults: TaskFaults,
  options: Partial<PollOptions> = {},
  task: { pendingPolls?: number } = {},
): Promise<{ sim: CambSimulator; run: Collected<TaskStatus>; retries: RetryEvent[] }> {
  const sim = await start({ tasks: [{ id: 'f', outcome: { status: 'SUCCESS', runId: 7 }, faults, ...task }] });
  const retries: RetryEvent[] = [];
  const retry = options.retry === false ? false : { ...RETRY, ...(typeof options.retry === 'object' ? options.retry : {}), onRetry: (event: RetryEvent) => retries.push(event) };
  const run = await collect(transcriptionStatus$('f', simOptions(sim, { ...options, retry })));
  return { sim, run, retries };
}

/**
 * The status request count once the stream has ended: after a short pause nothing may be in flight
 * at the server. (No later request can come: the harness proves afterwards that the stream left no
 * timer behind.)
 */
async function settledCount(sim: CambSimulator): Promise<number> {
  await sleep(30);
  expect(sim.stats.inFlight).toBe(0);
  return statusRequests(sim).length;
}

const retried = (error: unknown) => ({ name: (error as Error).name, status: (error as { status?: number }).status, failure: (error as { failure?: string }).failure });

interface RecoverableCase {
  name: string;
  fault: Fault;
  options?: Partial<PollOptions>;
  /** What the one retry was for. */
  error: { name: string; status?: number; failure?: string };
  serverDirected: boolean;
  /** The retry's delay, when the server set it. */
  delayMs?: number | ((ms: number) => boolean);
  /** True when the client aborted the faulted request (timeouts). */
  closedByClient?: boolean;
}

const http = (status: number, extra: Partial<Extract<Fault, { type: 'http' }>> = {}): Fault => ({ type: 'http', status, ...extra });

const recoverable: RecoverableCase[] = [
  ...[500, 502, 503, 504, 408].map((status) => ({
    name: `HTTP ${status}`,
    fault: http(status),
    error: { name: 'CambHttpError', status },
    serverDirected: false,
  })),
  { name: 'HTTP 429 without Retry-After', fault: http(429), error: { name: 'CambHttpError', status: 429 }, serverDirected: false },
  { name: 'HTTP 429 Retry-After: 0 (seconds)', fault: http(429, { retryAfter: 0 }), error: { name: 'CambHttpError', status: 429 }, serverDirected: true, delayMs: 0 },
  { name: 'HTTP 429 Retry-After: 1 (seconds)', fault: http(429, { retryAfter: 1 }), error: { name: 'CambHttpError', status: 429 }, serverDirected: true, delayMs: 1000 },
  {
    name: 'HTTP 429 Retry-After as an HTTP date in the past',
    fault: http(429, { retryAfter: new Date(Date.now() - 60_000) }),
    error: { name: 'CambHttpError', status: 429 },
    serverDirected: true,
    delayMs: 0,
  },
  {
    name: 'HTTP 429 Retry-After as an HTTP date about 1 s ahead',
    // Built when the case runs (see below), 1.2 s ahead: HTTP dates have whole seconds, so the
    // wait is between 0.2 and 1.2 s.
    fault: http(429, { retryAfter: new Date(0) }),
    error: { name: 'CambHttpError', status: 429 },
    serverDirected: true,
    delayMs: (ms) => ms > 0 && ms <= 1200,
  },
  { name: 'HTTP 503 with Retry-After: 0', fault: http(503, { retryAfter: 0 }), error: { name: 'CambHttpError', status: 503 }, serverDirected: true, delayMs: 0 },
  { name: 'html-error (default 502)', fault: { type: 'html-error' }, error: { name: 'CambHttpError', status: 502 }, serverDirected: false },
  { name: 'html-error 504', fault: { type: 'html-error', status: 504 }, error: { name: 'CambHttpError', status: 504 }, serverDirected: false },
  { name: 'reset-before-headers', fault: { type: 'reset-before-headers' }, error: { name: 'CambTransportError', failure: 'network' }, serverDirected: false },
  { name: 'reset-mid-body', fault: { type: 'reset-mid-body' }, error: { name: 'CambTransportError', failure: 'network' }, serverDirected: false },
  {
    name: 'hang, with a short requestTimeoutMs',
    fault: { type: 'hang' },
    options: { requestTimeoutMs: 150 },
    error: { name: 'CambTransportError', failure: 'timeout' },
    serverDirected: false,
    closedByClient: true,
  },
  {
    name: 'drip slower than requestTimeoutMs',
    fault: { type: 'drip', bytesPerChunk: 2, chunkIntervalMs: 40 },
    options: { requestTimeoutMs: 200 },
    error: { name: 'CambTransportError', failure: 'timeout' },
    serverDirected: false,
    closedByClient: true,
  },
  {
    name: 'delay longer than requestTimeoutMs',
    fault: { type: 'delay', ms: 2000 },
    options: { requestTimeoutMs: 150 },
    error: { name: 'CambTransportError', failure: 'timeout' },
    serverDirected: false,
    closedByClient: true,
  },
];

describe('fault matrix: recoverable faults are retried once, then the stream reaches SUCCESS (2 requests)', () => {
  it.each(recoverable)('$name', async ({ fault, options, error, serverDirected, delayMs, closedByClient }) => {
    const actual: Fault =
      fault.type === 'http' && fault.retryAfter instanceof Date && fault.retryAfter.getTime() === 0
        ? { ...fault, retryAfter: new Date(Date.now() + 1200) }
        : fault;
    const { sim, run, retries } = await runTask({ 1: actual }, options);

    expect(run.error).toBeUndefined();
    expect(run.completed).toBe(true);
    expect(run.values.map(({ status, poll, runId }) => [status, poll, runId])).toEqual([['SUCCESS', 1, 7]]);
    expect(retries.map((event) => [event.attempt, event.serverDirected])).toEqual([[1, serverDirected]]);
    expect(retried(retries[0]!.error)).toEqual({ status: undefined, failure: undefined, ...error });
    if (typeof delayMs === 'number') expect(retries[0]!.delayMs).toBe(delayMs);
    else if (delayMs) expect(delayMs(retries[0]!.delayMs)).toBe(true);
    else expect(retries[0]!.delayMs).toBeLessThanOrEqual(RETRY.baseDelayMs);

    const requests = statusRequests(sim);
    expect(requests).toHaveLength(2);
    expect(requests[0]!.fault).toEqual(actual);
    expect(requests[1]).toMatchObject({ status: 200, closedByClient: false });
    if (closedByClient) expect(requests[0]!.closedByClient).toBe(true);
    expect(await settledCount(sim)).toBe(2);
  });
});

describe('fault matrix: faults that deliver the answer in time are one read, not retried (1 request)', () => {
  it.each<{ name: string; fault: Fault; options?: Partial<PollOptions> }>([
    { name: 'drip within requestTimeoutMs', fault: { type: 'drip', bytesPerChunk: 16, chunkIntervalMs: 5 }, options: { requestTimeoutMs: 5000 } },
    { name: 'delay within requestTimeoutMs', fault: { type: 'delay', ms: 30 }, options: { requestTimeoutMs: 5000 } },
    { name: 'wrong-content-type with a valid JSON body', fault: { type: 'wrong-content-type' } },
  ])('$name', async ({ fault, options }) => {
    const { sim, run, retries } = await runTask({ 1: fault }, options);
    expect(run.error).toBeUndefined();
    expect(run.values.map(({ status, poll, runId }) => [status, poll, runId])).toEqual([['SUCCESS', 1, 7]]);
    expect(retries).toEqual([]);
    expect(statusRequests(sim)).toHaveLength(1);
    expect(statusRequests(sim)[0]).toMatchObject({ fault, status: 200 });
  });
});

interface FailFastCase {
  name: string;
  fault: Fault;
  options?: Partial<PollOptions>;
  check: (error: unknown) => void;
}

const httpStatus = (status: number) => (error: unknown) => {
  expect(error).toBeInstanceOf(CambHttpError);
  expect(error).toMatchObject({ status, code: CambErrorCodes.http, method: 'GET' });
};
const schemaError = (pattern: RegExp) => (error: unknown) => {
  expect(error).toBeInstanceOf(CambSchemaError);
  expect((error as Error).message).toMatch(pattern);
};

const failFast: FailFastCase[] = [
  { name: 'HTTP 400', fault: http(400), check: httpStatus(400) },
  { name: 'HTTP 401', fault: http(401, { body: { detail: 'Invalid API key' } }), check: httpStatus(401) },
  { name: 'HTTP 403', fault: http(403), check: httpStatus(403) },
  { name: 'HTTP 404', fault: http(404), check: httpStatus(404) },
  { name: 'HTTP 409', fault: http(409), check: httpStatus(409) },
  {
    name: 'HTTP 422 with a validation body',
    fault: http(422, { body: { detail: [{ loc: ['path', 'task_id'], msg: 'bad id', type: 'value_error' }] } }),
    check: (error) => {
      httpStatus(422)(error);
      expect((error as CambHttpError).bodyExcerpt).toContain('bad id');
    },
  },
  { name: 'html-error 403', fault: { type: 'html-error', status: 403 }, check: httpStatus(403) },
  { name: 'malformed JSON', fault: { type: 'malformed-json' }, check: schemaError(/not JSON/) },
  {
    name: 'an HTML error page with status 200',
    fault: { type: 'body', status: 200, contentType: 'text/html', body: '<html><body><h1>502 Bad Gateway</h1></body></html>' },
    check: schemaError(/not JSON/),
  },
  { name: 'an oversize body', fault: { type: 'oversize', bytes: 256 * 1024 }, options: { maxBodyBytes: 32 * 1024 }, check: schemaError(/maxBodyBytes/) },
  {
    name: 'HTTP 429 with Retry-After above maxRetryAfterMs (default 60 s)',
    fault: http(429, { retryAfter: 120 }),
    check: (error) => {
      httpStatus(429)(error);
      expect(error).toMatchObject({ retryAfterMs: 120_000 });
      expect((error as Error).message).toMatch(/Retry-After of 120000 ms is above maxRetryAfterMs \(60000 ms\)/);
      expect(isCambHttpError((error as Error).cause)).toBe(true);
    },
  },
  {
    name: 'HTTP 429 with Retry-After: 1 above a maxRetryAfterMs of 500',
    fault: http(429, { retryAfter: 1 }),
    options: { retry: { maxRetryAfterMs: 500 } },
    check: (error) => {
      httpStatus(429)(error);
      expect((error as Error).message).toMatch(/above maxRetryAfterMs \(500 ms\)/);
    },
  },
];

describe('fault matrix: fail-fast faults end the stream after exactly ONE request', () => {
  it.each(failFast)('$name', async ({ fault, options, check }) => {
    const { sim, run, retries } = await runTask({ 1: fault }, options);
    check(run.error);
    expect(run.values).toEqual([]);
    expect(retries).toEqual([]);
    expect(await settledCount(sim)).toBe(1);
  });
});

describe('fault matrix: sequences', () => {
  it('[reset, 503, 429 Retry-After 0, ok] recovers with 4 requests; onRetry once per retry, serverDirected only for Retry-After', async () => {
    const { sim, run, retries } = await runTask({ 1: { type: 'reset-before-headers' }, 2: http(503), 3: http(429, { retryAfter: 0 }) });
    expect(run.error).toBeUndefined();
    expect(run.values.map(({ status, poll }) => [status, poll])).toEqual([['SUCCESS', 1]]);
    expect(retries.map((event) => [event.attempt, event.serverDirected, retried(event.error)])).toEqual([
      [1, false, { name: 'CambTransportError', status: undefined, failure: 'network' }],
      [2, false, { name: 'CambHttpError', status: 503, failure: undefined }],
      [3, true, { name: 'CambHttpError', status: 429, failure: undefined }],
    ]);
    expect(retries[2]!.delayMs).toBe(0);
    // Backoff delays are jittered but capped: retry n waits at most min(maxDelayMs, baseDelayMs * 2^(n-1)).
    expect(retries[0]!.delayMs).toBeLessThanOrEqual(5);
    expect(retries[1]!.delayMs).toBeLessThanOrEqual(10);
    expect(statusRequests(sim).map((entry) => entry.status ?? 'reset')).toEqual(['reset', 503, 429, 200]);
    expect(await settledCount(sim)).toBe(4);
  });

  it('the same sequence from the injected fault queue (injectFault) instead of the task\'s own faults', async () => {
    const sim = await start({ tasks: [{ id: 'q', outcome: { status: 'SUCCESS', runId: 8 } }] });
    sim.injectFault({ type: 'reset-mid-body' }, { path: '/apis/transcribe/q' });
    sim.injectFault(http(502), { path: '/apis/transcribe/q', times: 2 });
    const retries: RetryEvent[] = [];
    const run = await collect(transcriptionStatus$('q', simOptions(sim, { retry: { ...RETRY, onRetry: (event) => retries.push(event) } })));
    expect(run.values.map(({ status, runId }) => [status, runId])).toEqual([['SUCCESS', 8]]);
    expect(retries.map((event) => event.attempt)).toEqual([1, 2, 3]);
    expect(await settledCount(sim)).toBe(4);
  });

  it.each<{ name: string; fault: Fault; options?: Partial<PollOptions>; check: (error: unknown) => void }>([
    { name: '503', fault: http(503), check: httpStatus(503) },
    { name: '429 with Retry-After 0', fault: http(429, { retryAfter: 0 }), check: httpStatus(429) },
    { name: 'html-error 502', fault: { type: 'html-error' }, check: httpStatus(502) },
    {
      name: 'reset-before-headers',
      fault: { type: 'reset-before-headers' },
      check: (error) => expect(error).toMatchObject({ name: 'CambTransportError', failure: 'network', code: CambErrorCodes.transport }),
    },
    {
      name: 'reset-mid-body',
      fault: { type: 'reset-mid-body' },
      check: (error) => expect(error).toMatchObject({ name: 'CambTransportError', failure: 'network' }),
    },
    {
      name: 'hang with requestTimeoutMs 80',
      fault: { type: 'hang' },
      options: { requestTimeoutMs: 80 },
      check: (error) => expect(error).toMatchObject({ name: 'CambTransportError', failure: 'timeout' }),
    },
  ])('more consecutive $name faults than maxRetries (2): the typed error after maxRetries + 1 = 3 requests', async ({ fault, options, check }) => {
    const { sim, run, retries } = await runTask(() => fault, { ...options, retry: { maxRetries: 2 } });
    check(run.error);
    expect(run.values).toEqual([]);
    expect(retries.map((event) => event.attempt)).toEqual([1, 2]);
    expect(await settledCount(sim)).toBe(3);
  });

  it('a success between failures resets the consecutive count: faults on 1, 2, 4, 5 with maxRetries 2 recover', async () => {
    const faults: TaskFaults = { 1: http(503), 2: { type: 'reset-before-headers' }, 4: http(502), 5: { type: 'reset-mid-body' } };
    const { sim, run, retries } = await runTask(faults, { retry: { maxRetries: 2 } }, { pendingPolls: 1 });
    expect(run.error).toBeUndefined();
    expect(run.values.map(({ status, poll }) => [status, poll])).toEqual([
      ['PENDING', 1],
      ['SUCCESS', 2],
    ]);
    expect(retries.map((event) => event.attempt)).toEqual([1, 2, 1, 2]);
    expect(statusRequests(sim).map((entry) => entry.status ?? 'reset')).toEqual([503, 'reset', 200, 502, 200 /* cut mid-body */, 200]);
    expect(await settledCount(sim)).toBe(6);
  });

  it('the control: three consecutive faults with maxRetries 2 do not recover', async () => {
    const faults: TaskFaults = { 1: http(503), 2: { type: 'reset-before-headers' }, 3: http(502) };
    const { sim, run } = await runTask(faults, { retry: { maxRetries: 2 } });
    httpStatus(502)(run.error);
    expect(await settledCount(sim)).toBe(3);
  });

  it.each<{ name: string; fault: Fault; options?: Partial<PollOptions>; check: (error: unknown) => void }>([
    { name: 'reset-before-headers', fault: { type: 'reset-before-headers' }, check: (error) => expect(error).toMatchObject({ name: 'CambTransportError', failure: 'network' }) },
    { name: 'reset-mid-body', fault: { type: 'reset-mid-body' }, check: (error) => expect(error).toMatchObject({ name: 'CambTransportError', failure: 'network' }) },
    { name: 'hang + requestTimeoutMs', fault: { type: 'hang' }, options: { requestTimeoutMs: 80 }, check: (error) => expect(error).toMatchObject({ name: 'CambTransportError', failure: 'timeout' }) },
    { name: 'HTTP 503', fault: http(503), check: httpStatus(503) },
    { name: 'HTTP 429 Retry-After 0', fault: http(429, { retryAfter: 0 }), check: httpStatus(429) },
  ])('retry: false — the first $name ends the stream: 1 request', async ({ fault, options, check }) => {
    const { sim, run, retries } = await runTask({ 1: fault }, { ...options, retry: false });
    check(run.error);
    expect(retries).toEqual([]);
    expect(await settledCount(sim)).toBe(1);
  });
});

/** A port on 127.0.0.1 that refuses connections: one that was just listened on and closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

const fetches: { name: string; fetch: FetchLike | undefined; userAgent: RegExp }[] = [
  { name: "Node's fetch (undici)", fetch: undefined, userAgent: /^(node|undici)/ },
  { name: "cross-fetch's default export (node-fetch)", fetch: crossFetch as unknown as FetchLike, userAgent: /node-fetch/ },
];

describe.each(fetches)('network failures through $name', ({ fetch, userAgent }) => {
  it('a connection reset is a CambTransportError, retried; the runtime\'s own error is kept as cause and recognised', async () => {
    const { sim, run, retries } = await runTask(() => ({ type: 'reset-before-headers' }), { retry: { maxRetries: 2 }, ...(fetch && { fetch }) });
    expect(isCambTransportError(run.error)).toBe(true);
    expect(run.error).toMatchObject({ failure: 'network', method: 'GET', url: `${sim.url}/transcribe/f` });
    expect(retries).toHaveLength(2);
    for (const event of retries) expect(isCambTransportError(event.error)).toBe(true);
    // The raw error of this runtime is the cause, and its wording is one isRetryableError knows.
    const cause = (run.error as Error).cause;
    expect(cause).toBeInstanceOf(Error);
    expect(isRetryableError(cause)).toBe(true);
    expect(await settledCount(sim)).toBe(3);
    for (const entry of statusRequests(sim)) expect(entry.headers['user-agent']).toMatch(userAgent);
  });

  it('a refused connection is a CambTransportError with systemCode ECONNREFUSED, retried maxRetries times', async () => {
    const port = await closedPort();
    const probe = probeFetch(fetch);
    const retries: RetryEvent[] = [];
    const run = await collect(
      transcriptionStatus$('t', {
        apiKey: 'k',
        baseUrl: `http://127.0.0.1:${port}/apis`,
        fetch: probe.fetch,
        retry: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20, onRetry: (event) => retries.push(event) },
      }),
    );
    expect(isCambTransportError(run.error)).toBe(true);
    expect(run.error).toMatchObject({ failure: 'network', systemCode: 'ECONNREFUSED', url: `http://127.0.0.1:${port}/apis/transcribe/t` });
    expect(isRetryableError((run.error as Error).cause)).toBe(true);
    expect(retries.map((event) => event.attempt)).toEqual([1, 2, 3]);
    expect(probe.calls).toHaveLength(4);
  });

  it('a reset, then a good answer: the stream recovers and reaches SUCCESS', async () => {
    const { sim, run, retries } = await runTask({ 1: { type: 'reset-before-headers' } }, { ...(fetch && { fetch }) }, { pendingPolls: 1 });
    expect(run.error).toBeUndefined();
    expect(run.values.map(({ status, poll }) => [status, poll])).toEqual([
      ['PENDING', 1],
      ['SUCCESS', 2],
    ]);
    expect(retries).toHaveLength(1);
    expect(await settledCount(sim)).toBe(3);
  });
});
