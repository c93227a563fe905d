import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { from } from 'rxjs';
import { pacingOf, resolveBudgetOptions } from '../../src/budget/budget-options.js';
import { describe, expect, it } from 'vitest';
import {
  createCambClient,
  isCambHttpError,
  isCambMergeError,
  mergeTasks,
  taskStatus$,
  transcriptionStatus$,
  type CambMergeError,
  type RetryEvent,
  type TaskFailure,
  type TaskStatus,
} from '../../src/index.js';
import type { CambSimulator, Fault, RequestLogEntry } from '../../src/testing/index.js';
import { mulberry32 } from '../../src/testing/mulberry32.js';
import {
  clockWatchingScheduler,
  collect,
  jitteredFetch,
  maxInWindow,
  probeFetch,
  record,
  sleep,
  statusRequests,
  useIntegrationHarness,
  type ProbeCall,
} from '../_helpers/integration-harness.js';

const { start } = useIntegrationHarness();

const RETRY = { maxRetries: 4, baseDelayMs: 5, maxDelayMs: 20 } as const;

/** The client call behind a server log entry, matched by the `x-probe` header that probeFetch adds. */
function callOf(entry: RequestLogEntry, calls: readonly ProbeCall[]): ProbeCall {
  const call = calls[Number(entry.headers['x-probe']) - 1];
  if (!call) throw new Error(`request #${entry.seq} has no matching client call`);
  return call;
}

/**
 * Checks that a 429 with `Retry-After: 1` held every task sharing the budget, at the client and at
 * the server, and returns the numbers for the assertions.
 *
 * When the pause began is told without a clock: `pausedAfterCalls` is the number of fetch calls
 * made when `onRetry` ran for the 429, which is after the budget saw the error and paused (all in
 * one synchronous step, in which nothing else can start). Every later call started during or after
 * the pause. The pause lasts from some `p` no earlier than the 429's headers (`respondedAt`) until
 * `p + 1000`, on the budget's own clock (`Date.now()`), so every later call must have started at
 * `respondedAt + 1000` or after — exact, no margin.
 *
 * At the server (its log, `performance.now()`): every status request that arrived after the 429
 * was answered (`finishedAt`) and before that + 1000 ms − 5 ms must have been started by the
 * client before the pause began — already on its way. The 5 ms cover the two clocks (`Date.now()`
 * has whole milliseconds) and the moment between the server's answer and the client reading it.
 */
function checkSharedPause(sim: CambSimulator, calls: readonly ProbeCall[], pausedAfterCalls: number) {
  const limited = calls.find((call) => call.status === 429);
  if (!limited?.respondedAt) throw new Error('no 429 was answered');
  const startedLater = (call: ProbeCall) => call.n > pausedAfterCalls;
  const startedDuringPause = calls.filter((call) => startedLater(call) && call.at < limited.respondedAt! + 1000);

  const requests = statusRequests(sim);
  const answered429 = requests.find((entry) => entry.status === 429)!;
  const f = answered429.finishedAt!;
  const arrivedDuringPause = requests.filter((entry) => entry.startedAt > f && entry.startedAt < f + 1000 - 5);
  const notOnTheirWay = arrivedDuringPause.filter((entry) => startedLater(callOf(entry, calls)));

  // Every task's next request after the pause began: its server arrival, after the 429's answer.
  const firstAfter = new Map<string, number>();
  for (const entry of requests) {
    if (!startedLater(callOf(entry, calls))) continue;
    if (!firstAfter.has(entry.taskId!)) firstAfter.set(entry.taskId!, entry.startedAt - f);
  }
  return { startedDuringPause, arrivedDuringPause, notOnTheirWay, firstAfter, limitedTask: answered429.taskId! };
}

describe('request budget over real sockets: mergeTasks', () => {
  it('60 tasks, maxConcurrentRequests 4, maxRequestsPerSecond 25, latency jitter: the limits hold at the client and at the server', { timeout: 20_000 }, async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `b-${i}`);
    const sim = await start({ latencyMs: 15, tasks: ids.map((id) => ({ id, outcome: { status: 'SUCCESS' } })) });
    const clock = clockWatchingScheduler();
    // Up to 300 ms of transit jitter between the budget and the server.
    const probe = probeFetch(jitteredFetch(300, 25), clock.lastNow);
    const run = await collect(
      from(ids).pipe(
        mergeTasks({
          apiKey: sim.apiKey,
          baseUrl: sim.url,
          fetch: probe.fetch,
          scheduler: clock.scheduler,
          interval: 20, minIntervalMs: 0,
          retry: RETRY,
          maxConcurrentRequests: 4,
          maxRequestsPerSecond: 25,
        }),
      ),
    );
    expect(run.error).toBeUndefined();
    expect(run.values.map((status) => status.status)).toEqual(Array(60).fill('SUCCESS'));
    expect(new Set(run.values.map((status) => status.taskId)).size).toBe(60);
    expect(probe.calls).toHaveLength(60);
    expect(statusRequests(sim)).toHaveLength(60);

    // Concurrency. The client counts a request from the fetch call until its body was read, which
    // lies inside the time it holds a budget slot. The server counts a request from its arrival
    // until its response is finished, which Node signals before the client can read the response:
    // its interval lies inside the client's.
    expect(probe.stats.maxInFlight).toBeLessThanOrEqual(4);
    expect(sim.stats.maxInFlight).toBeLessThanOrEqual(4);

    // Pacing, on the limiter's own clock (the Date.now() it decided each start with, read through
    // the scheduler it was given), exactly: any k + 1 starts span at least k intervals less the
    // tolerance and the catch-up after a late wake-up.
    const decided = probe.calls.map((call) => call.decidedAt!);
    const { intervalMs, toleranceMs, catchUpMs } = pacingOf(resolveBudgetOptions({ maxRequestsPerSecond: 25 }));
    const tooClose = decided.flatMap((at, i) => decided.slice(i + 1).filter((later, k) => later - at < (k + 1) * intervalMs - toleranceMs - catchUpMs));
    expect(tooClose).toEqual([]);

    // Rate at the server: however the 300 ms of jitter bunch arrivals up, 25 at most in every
    // sliding second of the simulator's log.
    const arrivals = statusRequests(sim).map((entry) => Math.round(entry.startedAt));
    expect(sim.stats.maxPerSecond, JSON.stringify(arrivals)).toBeLessThanOrEqual(25);
    expect(maxInWindow(arrivals, 1000)).toBe(sim.stats.maxPerSecond);
  });

  it('a 429 with Retry-After on one task holds the next request of every other task sharing the budget', { timeout: 20_000 }, async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const sim = await start({
      latencyMs: 5,
      tasks: ids.map((id) => ({ id, pendingPolls: 6, ...(id === 'a' && { faults: { 3: { type: 'http' as const, status: 429, retryAfter: 1 } } }) })),
    });
    const probe = probeFetch();
    let pausedAfterCalls = Infinity;
    const retries: RetryEvent[] = [];
    const run = await collect(
      from(ids).pipe(
        mergeTasks({
          apiKey: sim.apiKey,
          baseUrl: sim.url,
          fetch: probe.fetch,
          interval: 20, minIntervalMs: 0,
          maxConcurrentRequests: 4,
          maxRequestsPerSecond: Infinity,
          retry: {
            ...RETRY,
            onRetry: (event) => {
              retries.push(event);
              if (event.serverDirected) pausedAfterCalls = Math.min(pausedAfterCalls, probe.calls.length);
            },
          },
        }),
      ),
    );
    expect(run.error).toBeUndefined();
    const terminal = run.values.filter((status: TaskStatus) => status.done);
    expect(terminal.map((status) => [status.taskId, status.status]).sort()).toEqual(ids.map((id) => [id, 'SUCCESS']));
    expect(retries.map((event) => [event.serverDirected, event.delayMs])).toEqual([[true, 1000]]);

    const { startedDuringPause, arrivedDuringPause, notOnTheirWay, firstAfter, limitedTask } = checkSharedPause(sim, probe.calls, pausedAfterCalls);
    expect(limitedTask).toBe('a');
    expect(startedDuringPause).toEqual([]);
    expect(notOnTheirWay).toEqual([]);
    // What did arrive in the pause was already on its way: at most the other slots of the budget.
    expect(arrivedDuringPause.length).toBeLessThanOrEqual(3);
    // Every task still had polls left, and each one's next request came after the pause.
    expect([...firstAfter.keys()].sort()).toEqual(ids);
    for (const [taskId, sinceThe429] of firstAfter) expect({ taskId, late: sinceThe429 >= 1000 - 5 }).toEqual({ taskId, late: true });
  });
  it('the control: without a shared budget the same 429 holds nobody, and the check above sees it', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const sim = await start({
      latencyMs: 5,
      tasks: ids.map((id) => ({ id, pendingPolls: 6, ...(id === 'a' && { faults: { 3: { type: 'http' as const, status: 429, retryAfter: 1 } } }) })),
    });
    const probe = probeFetch();
    const options = { apiKey: sim.apiKey, baseUrl: sim.url, fetch: probe.fetch, interval: 20, minIntervalMs: 0 };
    // Task a gives up at the 429 (its Retry-After is above maxRetryAfterMs); the others are separate streams.
    const runs = await Promise.all(
      ids.map((id) => collect(transcriptionStatus$(id, { ...options, retry: { ...RETRY, maxRetryAfterMs: id === 'a' ? 0 : 60_000 } }))),
    );
    expect(isCambHttpError(runs[0]!.error) && runs[0]!.error.status).toBe(429);
    const seenAfterCalls = probe.calls.find((call) => call.status === 429)!.callsWhenResponded!;
    const { startedDuringPause, notOnTheirWay } = checkSharedPause(sim, probe.calls, seenAfterCalls);
    expect(startedDuringPause.length).toBeGreaterThan(0);
    expect(notOnTheirWay.length).toBeGreaterThan(0);
  });
});

/** Faults that a retry fixes, and slow answers: the mix under which the limits must still hold at the server. */
const FAULT_MIX: Fault[] = [
  { type: 'http', status: 503 },
  { type: 'http', status: 429 },
  { type: 'reset-before-headers' },
  { type: 'reset-mid-body' },
  { type: 'hang' },
  { type: 'delay', ms: 150 },
  { type: 'drip', bytesPerChunk: 16, chunkIntervalMs: 20 },
];

describe('request budget as measured at the server, under latency jitter', () => {
  it('issue 13: createCambClient maxRequestsPerSecond 5, 10 ids, interval 500: no second at the simulator sees more than 5', { timeout: 20_000 }, async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `r-${i}`);
    const sim = await start({ tasks: ids.map((id) => ({ id, pendingPolls: 1 })) });
    // Up to 40 ms of transit jitter between the budget and the server.
    const client = createCambClient({ apiKey: sim.apiKey, baseUrl: sim.url, fetch: jitteredFetch(40, 13), retry: RETRY, maxRequestsPerSecond: 5 });
    const run = await collect(from(ids).pipe(client.mergeTasks({ interval: 500 })));
    expect(run.error).toBeUndefined();
    expect(run.values.filter((status) => status.done).map((status) => status.status)).toEqual(Array(10).fill('SUCCESS'));
    expect(statusRequests(sim)).toHaveLength(20);
    expect(sim.stats.maxPerSecond, JSON.stringify(statusRequests(sim).map((entry) => Math.round(entry.startedAt)))).toBeLessThanOrEqual(5);
  });

  it('issue 14: maxRequestsPerSecond 150 with the fault mix and retries: no second at the simulator sees more than 150', { timeout: 30_000 }, async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `f-${i}`);
    const sim = await start({
      latencyMs: 2,
      tasks: ids.map((id) => ({ id, pendingPolls: 1 })),
      randomFaults: { rate: 0.25, seed: 14, faults: FAULT_MIX },
    });
    const failures: TaskFailure[] = [];
    const run = await collect(
      from(ids).pipe(
        mergeTasks({
          apiKey: sim.apiKey,
          baseUrl: sim.url,
          fetch: jitteredFetch(40, 14),
          interval: 20,
          requestTimeoutMs: 250,
          retry: { maxRetries: 8, baseDelayMs: 5, maxDelayMs: 20 },
          maxConcurrentRequests: 32,
          maxRequestsPerSecond: 150,
          onTaskError: (failure) => failures.push(failure),
        }),
      ),
    );
    expect(run.error).toBeUndefined();
    expect(failures.map((failure) => `${failure.taskId}: ${String(failure.error)}`)).toEqual([]);
    const requests = statusRequests(sim);
    // The faults happened, of every kind.
    expect(new Set(requests.filter((entry) => entry.fault).map((entry) => entry.fault!.type)).size).toBe(new Set(FAULT_MIX.map((fault) => fault.type)).size);
    expect(sim.stats.maxPerSecond).toBeLessThanOrEqual(150);
    // The budget was what held the rate back: the run came near the limit.
    expect(sim.stats.maxPerSecond).toBeGreaterThan((2 / 3) * 150);
  });
});

describe('concurrency as measured at the server: an abandoned exchange keeps its slot until it is over', () => {
  it('request timeouts, resets and unsubscribes in the mix: the simulator never has more than maxConcurrentRequests (8) in flight', { timeout: 30_000 }, async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `c-${i}`);
    const sim = await start({
      tasks: ids.map((id) => ({ id, pendingPolls: 3 })),
      randomFaults: {
        rate: 0.6,
        seed: 8,
        faults: [{ type: 'hang' }, { type: 'delay', ms: 400 }, { type: 'drip', bytesPerChunk: 4, chunkIntervalMs: 30 }, { type: 'reset-before-headers' }, { type: 'reset-mid-body' }],
      },
    });
    const client = createCambClient({
      apiKey: sim.apiKey,
      baseUrl: sim.url,
      requestTimeoutMs: 60,
      retry: { maxRetries: 30, baseDelayMs: 1, maxDelayMs: 5 },
      maxConcurrentRequests: 8,
      maxRequestsPerSecond: Infinity,
    });
    // Every third task is unsubscribed at a random moment, most likely while its request is in flight.
    const random = mulberry32(88);
    const runs = ids.map((id, i) => {
      const run = record(client.transcriptionStatus$(id, { interval: 5 }));
      if (i % 3 === 0) setTimeout(() => run.subscription.unsubscribe(), 50 + random() * 1500);
      return run;
    });
    await Promise.all(runs.filter((_, i) => i % 3 !== 0).map((run) => run.done));
    await sleep(1600); // every planned unsubscribe has happened

    const requests = statusRequests(sim);
    const abandoned = requests.filter((entry) => entry.closedByClient);
    expect(runs.filter((run, i) => i % 3 !== 0 && run.values.at(-1)?.status !== 'SUCCESS')).toEqual([]);
    // Many exchanges were abandoned by the client (its request timeout on hangs, slow answers, unsubscribes).
    expect(abandoned.filter((entry) => entry.fault?.type === 'hang').length).toBeGreaterThan(10);
    expect(sim.stats.maxInFlight, `${requests.length} requests, ${abandoned.length} abandoned`).toBeLessThanOrEqual(8);
    expect({ running: client.budget.running, waiting: client.budget.waiting }).toEqual({ running: 0, waiting: 0 });
  });
});

describe('the 429 pause as measured at the server', () => {
  it('many 429 Retry-After: 1 answers: no request the client started after seeing one reaches the server inside its pause', { timeout: 60_000 }, async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `p-${i}`);
    const sim = await start({
      latencyMs: 2,
      tasks: ids.map((id) => ({ id, pendingPolls: 1000 })),
      randomFaults: { rate: 0.05, seed: 429, faults: [{ type: 'http', status: 429, retryAfter: 1 }] },
    });
    const probe = probeFetch();
    const client = createCambClient({ apiKey: sim.apiKey, baseUrl: sim.url, fetch: probe.fetch, retry: RETRY, maxConcurrentRequests: 6, maxRequestsPerSecond: Infinity });
    const runs = ids.map((id) => record(client.transcriptionStatus$(id, { interval: 1 })));
    await sim.waitForRequest((entry) => entry.status === 429 && sim.requests.filter((e) => e.status === 429).length >= 10, 45_000);
    for (const run of runs) run.subscription.unsubscribe();
    await sleep(100);

    const requests = statusRequests(sim);
    const pauses = requests.filter((entry) => entry.status === 429);
    const inside = pauses.flatMap((limited) => {
      const seenAt = callOf(limited, probe.calls).respondedPerfAt!;
      const f = limited.finishedAt!;
      // Arrived while the server's pause ran (5 ms short of its end, for the moment between the
      // server's answer and the client reading it), yet started by the client after it had seen the 429.
      return requests
        .filter((entry) => entry.startedAt > f && entry.startedAt < f + 1000 - 5)
        .filter((entry) => callOf(entry, probe.calls).perfAt > seenAt)
        .map((entry) => ({ pause: limited.seq, request: entry.seq, afterAnswerMs: Math.round(entry.startedAt - f) }));
    });
    expect(pauses.length).toBeGreaterThanOrEqual(10);
    expect(inside).toEqual([]);
  });

  it('a 429 whose body comes slowly pauses the budget from its headers, not from the end of its body', { timeout: 20_000 }, async () => {
    // A raw server: the first status request of task 'limited' gets 429 Retry-After: 1, its body
    // sent over 400 ms; every other request gets PENDING at once.
    const arrivals: { at: number; probe: number; path: string }[] = [];
    let headersSentAt = Infinity;
    const server = createServer((req, res) => {
      arrivals.push({ at: performance.now(), probe: Number(req.headers['x-probe']), path: req.url ?? '' });
      if (req.url?.endsWith('/limited') && headersSentAt === Infinity) {
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json', 'content-length': '40' });
        res.flushHeaders();
        headersSentAt = performance.now();
        res.write('{"detail":"slow');
        setTimeout(() => res.end(' down, please wait..."}'), 400);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"PENDING"}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const probe = probeFetch();
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/apis`;
      const client = createCambClient({ apiKey: 'k', baseUrl, fetch: probe.fetch, retry: RETRY, maxConcurrentRequests: 4, maxRequestsPerSecond: Infinity });
      const runs = ['limited', 'a', 'b', 'c'].map((id) => record(client.transcriptionStatus$(id, { interval: 10 })));
      await sleep(1500);
      for (const run of runs) run.subscription.unsubscribe();

      const limitedCall = probe.calls.find((call) => call.status === 429)!;
      // Requests the client started after it had the 429's headers, arriving within the pause.
      const inside = arrivals.filter(
        (arrival) => arrival.at < headersSentAt + 1000 - 5 && probe.calls[arrival.probe - 1]!.perfAt > limitedCall.respondedPerfAt!,
      );
      expect(arrivals.filter((arrival) => arrival.at > headersSentAt + 1000).length).toBeGreaterThan(0);
      expect(inside.map((arrival) => `${arrival.path} at +${Math.round(arrival.at - headersSentAt)} ms`)).toEqual([]);
    } finally {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    }
  });
});

describe('request budget over real sockets: teardown, deadlines and failures of many tasks', () => {
  it('unsubscribing mergeTasks closes every request in flight and never sends the ones still queued', async () => {
    const ids = ['h1', 'h2', 'h3', 'h4', 'h5'];
    const sim = await start({ tasks: ids.map((id) => ({ id, faults: { 1: { type: 'hang' as const } } })) });
    const run = record(from(ids).pipe(mergeTasks({ apiKey: sim.apiKey, baseUrl: sim.url, interval: 20, minIntervalMs: 0, retry: RETRY, maxConcurrentRequests: 2 })));
    await sim.waitForRequest((entry) => entry.seq === 2);
    await sleep(30);
    const hanging = statusRequests(sim);
    expect(hanging.map((entry) => entry.taskId)).toEqual(['h1', 'h2']);

    run.subscription.unsubscribe();
    await Promise.all(hanging.map((entry) => sim.waitForClose(entry)));
    await sleep(100);
    // The three queued tasks left the queue before the freed slots could start them.
    expect(sim.requests).toHaveLength(2);
    expect(run.ended).toBe(false);
  });

  it('requestTimeoutMs starts when the request leaves the budget queue, not while it waits', async () => {
    // One slot. a's read takes 300 ms; b waits for the slot that long, then its own read takes
    // 200 ms: b gets its answer 500 ms after it asked — past requestTimeoutMs 450, had the wait
    // counted — but its own request took 200 ms, well within.
    const sim = await start({
      tasks: [
        { id: 'a', faults: { 1: { type: 'delay', ms: 300 } } },
        { id: 'b', faults: { 1: { type: 'delay', ms: 200 } } },
      ],
    });
    const run = await collect(
      from(['a', 'b']).pipe(
        mergeTasks({ apiKey: sim.apiKey, baseUrl: sim.url, interval: 20, minIntervalMs: 0, requestTimeoutMs: 450, retry: false, maxConcurrentRequests: 1, maxRequestsPerSecond: Infinity }),
      ),
    );
    expect(run.error).toBeUndefined();
    expect(run.values.map((status) => [status.taskId, status.status])).toEqual([
      ['a', 'SUCCESS'],
      ['b', 'SUCCESS'],
    ]);
    const [first, second] = statusRequests(sim);
    expect(second!.startedAt).toBeGreaterThanOrEqual(first!.finishedAt!);
    expect(statusRequests(sim)).toHaveLength(2);
  });

  it('one task\'s stream error does not stop the others; the failures come at the end as a CambMergeError', async () => {
    const sim = await start({ tasks: [{ id: 'ok-1', pendingPolls: 2 }, { id: 'ok-2', pendingPolls: 1 }, { id: 'broken', faults: { 1: { type: 'malformed-json' } } }] });
    const run = await collect(from(['ok-1', 'missing', 'ok-2', 'broken', 'ok-1']).pipe(mergeTasks({ apiKey: sim.apiKey, baseUrl: sim.url, interval: 20, minIntervalMs: 0, retry: RETRY })));
    expect(isCambMergeError(run.error)).toBe(true);
    const error = run.error as CambMergeError;
    expect(error.failures.map((failure) => [failure.taskId, (failure.error as Error).name])).toEqual([
      ['missing', 'CambHttpError'],
      ['broken', 'CambSchemaError'],
    ]);
    const terminal = run.values.filter((status) => status.done).map((status) => [status.taskId, status.status]);
    expect(terminal.sort()).toEqual([
      ['ok-1', 'SUCCESS'],
      ['ok-2', 'SUCCESS'],
    ]);
    // 'ok-1' came twice while it was being watched: it was watched once.
    expect(sim.task('ok-1').polls).toBe(3);
  });

  it('a 429 whose Retry-After is above maxRetryAfterMs does not hold the other tasks longer than maxRetryAfterMs', async () => {
    // Task a's 429 asks for an hour. Its own stream refuses to wait that long (CambHttpError at
    // once, as documented); the tasks sharing its budget must not be held for the hour either.
    const sim = await start({
      tasks: [
        { id: 'a', faults: { 1: { type: 'http', status: 429, retryAfter: 3600 } } },
        { id: 'b', pendingPolls: 3 },
      ],
    });
    const failures: TaskFailure[] = [];
    const run = await collect(
      from(['a', 'b']).pipe(
        mergeTasks({
          apiKey: sim.apiKey,
          baseUrl: sim.url,
          interval: 20, minIntervalMs: 0,
          timeoutMs: 1200,
          maxRequestsPerSecond: Infinity,
          retry: { ...RETRY, maxRetryAfterMs: 300 },
          onTaskError: (failure) => failures.push(failure),
        }),
      ),
    );
    expect(run.error).toBeUndefined();
    expect(failures.map((failure) => [failure.taskId, (failure.error as Error).message])).toEqual([
      ['a', expect.stringMatching(/above maxRetryAfterMs \(300 ms\)/)],
    ]);
    expect(run.values.filter((status) => status.taskId === 'b').map((status) => status.status)).toEqual(['PENDING', 'PENDING', 'PENDING', 'SUCCESS']);
  });
});

describe('request budget over real sockets: createCambClient shares one budget across streams', () => {
  it('two separate streams of one client never have more than maxConcurrentRequests (1) in flight; two unshared streams do', async () => {
    const sim = await start({ latencyMs: 15, tasks: [{ id: 'a', pendingPolls: 3 }, { id: 'b', kind: 'dub', pendingPolls: 3 }] });
    const probe = probeFetch();
    const client = createCambClient({ apiKey: sim.apiKey, baseUrl: sim.url, fetch: probe.fetch, retry: RETRY, maxConcurrentRequests: 1, maxRequestsPerSecond: Infinity });

    const first = record(client.transcriptionStatus$('a', { interval: 10, minIntervalMs: 0 }));
    const second = record(client.taskStatus$('dub', 'b', { interval: 10, minIntervalMs: 0 }));
    // One request runs, the other stream's first request waits for the shared slot.
    expect({ running: client.budget.running, waiting: client.budget.waiting }).toEqual({ running: 1, waiting: 1 });
    await Promise.all([first.done, second.done]);

    expect(first.values.map((status) => status.status)).toEqual(['PENDING', 'PENDING', 'PENDING', 'SUCCESS']);
    expect(second.values.map((status) => [status.kind, status.status])).toEqual([
      ['dub', 'PENDING'],
      ['dub', 'PENDING'],
      ['dub', 'PENDING'],
      ['dub', 'SUCCESS'],
    ]);
    expect(probe.calls).toHaveLength(8);
    expect(probe.stats.maxInFlight).toBe(1);
    expect(sim.stats.maxInFlight).toBe(1);
    expect({ running: client.budget.running, waiting: client.budget.waiting }).toEqual({ running: 0, waiting: 0 });

    // The control: the same two tasks watched by separate streams (each its own connection, no
    // shared budget) are both in flight at once.
    sim.resetStats();
    const options = { apiKey: sim.apiKey, baseUrl: sim.url, interval: 10, minIntervalMs: 0, retry: RETRY };
    await Promise.all([collect(transcriptionStatus$('a', options)), collect(taskStatus$('dub', 'b', options))]);
    expect(sim.stats.maxInFlight).toBe(2);
  });

  it('unsubscribing one stream of a client frees its slot: the stream waiting behind it goes on', async () => {
    const sim = await start({ tasks: [{ id: 'stuck', faults: { 1: { type: 'hang' } } }, { id: 'next', pendingPolls: 1 }] });
    const client = createCambClient({ apiKey: sim.apiKey, baseUrl: sim.url, retry: RETRY, maxConcurrentRequests: 1, maxRequestsPerSecond: Infinity });
    const stuck = record(client.transcriptionStatus$('stuck', { interval: 20, minIntervalMs: 0 }));
    const next = record(client.transcriptionStatus$('next', { interval: 20, minIntervalMs: 0 }));
    const hanging = await sim.waitForRequest((entry) => entry.taskId === 'stuck');
    expect({ running: client.budget.running, waiting: client.budget.waiting }).toEqual({ running: 1, waiting: 1 });

    stuck.subscription.unsubscribe();
    await sim.waitForClose(hanging);
    await next.done;
    expect(next.values.map((status) => status.status)).toEqual(['PENDING', 'SUCCESS']);
    expect({ running: client.budget.running, waiting: client.budget.waiting }).toEqual({ running: 0, waiting: 0 });
    expect(statusRequests(sim).map((entry) => entry.taskId)).toEqual(['stuck', 'next', 'next']);
  });

  it('mergeTasks with an already-aborted signal sends nothing', async () => {
    const sim = await start({ tasks: [{ id: 'x' }, { id: 'y' }] });
    const signal = AbortSignal.abort();
    const run = await collect(from(['x', 'y']).pipe(mergeTasks({ apiKey: sim.apiKey, baseUrl: sim.url, signal })));
    expect(run.error).toBe(signal.reason);
    await sleep(50);
    expect(sim.requests).toHaveLength(0);
  });

  it('a 429 with Retry-After on one stream of a client holds the other stream', { timeout: 20_000 }, async () => {
    const sim = await start({
      latencyMs: 5,
      tasks: [
        { id: 'a', pendingPolls: 6, faults: { 2: { type: 'http', status: 429, retryAfter: 1 } } },
        { id: 'b', kind: 'dub', pendingPolls: 6 },
      ],
    });
    const probe = probeFetch();
    let pausedAfterCalls = Infinity;
    const client = createCambClient({
      apiKey: sim.apiKey,
      baseUrl: sim.url,
      fetch: probe.fetch,
      maxConcurrentRequests: 4,
      maxRequestsPerSecond: Infinity,
      retry: { ...RETRY, onRetry: (event) => event.serverDirected && (pausedAfterCalls = Math.min(pausedAfterCalls, probe.calls.length)) },
    });
    const [a, b] = await Promise.all([collect(client.transcriptionStatus$('a', { interval: 20, minIntervalMs: 0 })), collect(client.taskStatus$('dub', 'b', { interval: 20, minIntervalMs: 0 }))]);
    expect(a.values.at(-1)?.status).toBe('SUCCESS');
    expect(b.values.at(-1)?.status).toBe('SUCCESS');

    const { startedDuringPause, notOnTheirWay, firstAfter } = checkSharedPause(sim, probe.calls, pausedAfterCalls);
    expect(startedDuringPause).toEqual([]);
    expect(notOnTheirWay).toEqual([]);
    expect(firstAfter.get('b')).toBeGreaterThanOrEqual(1000 - 5);
  });
});
