import { Queue } from 'bullmq';
import { firstValueFrom, from, last } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { queueNames } from '../../src/bullmq/job-ids.js';
import { createCambQueue, type CambQueueOptions } from '../../src/bullmq/index.js';
import type { CambSimulator, RequestLogEntry } from '../../src/testing/index.js';
import { useSimulators } from '../_helpers/simulator-harness.js';
import { redisConnection, useRedisPrefixes } from './redis-harness.js';
import { expectServerBudgetKept } from './server-bounds.js';
import { useWorkerProcesses, type WorkerProcess } from './worker-processes.js';

const startSimulator = useSimulators();
const newPrefix = useRedisPrefixes();
const startWorker = useWorkerProcesses();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Queue options on the simulator, JSON-able for the forked workers. A wide `slackMs` (windows sized
 * for it) keeps slots from going stale on a busy CI machine; the bound is the same.
 */
function queueOptions(simulator: CambSimulator, budget: CambQueueOptions['budget'], extra: Partial<CambQueueOptions> = {}): CambQueueOptions {
  return { apiKey: simulator.apiKey, baseUrl: simulator.url, connection: redisConnection, prefix: newPrefix(), budget: { slackMs: 200, ...budget }, interval: 100, ...extra };
}

const startWorkers = (options: CambQueueOptions, count: number, concurrency: number): Promise<WorkerProcess[]> =>
  Promise.all(Array.from({ length: count }, () => startWorker({ queue: options, worker: { concurrency } })));

/** Resolves once the server has seen `count` status requests. */
const statusRequests = (simulator: CambSimulator, count: number, timeoutMs = 20_000): Promise<RequestLogEntry> =>
  simulator.waitForRequest(() => simulator.requests.filter((entry) => entry.route === 'status' && entry.finishedAt !== undefined).length >= count, timeoutMs);

/**
 * The load that shows a fixed one-second window's flaw: one request opens a window, and 700 ms
 * later 2R tasks are ready at once. Returns the server's log of the burst.
 */
async function burst(simulator: CambSimulator, options: CambQueueOptions, naive: boolean): Promise<readonly RequestLogEntry[]> {
  const R = options.budget.maxRequestsPerSecond;
  const camb = createCambQueue(options);
  try {
    await startWorkers(options, 4, 20);
    await camb.watch(simulator.addTask({ id: 'warm-up' }));
    await statusRequests(simulator, 1);
    await sleep(200); // every worker has written the budget by now
    if (naive) {
      // What a plain `limiter: { max: R, duration: 1000 }` gives.
      const polls = new Queue(queueNames(options.apiKey).polls, { connection: redisConnection, prefix: options.prefix! });
      await polls.setGlobalRateLimit(R, 1000);
      await polls.close();
    }
    const opened = simulator.requests.length;
    await camb.watch(simulator.addTask({ id: 'opens-a-window' }));
    await sleep(700);
    const ids = Array.from({ length: 2 * R }, (_, i) => simulator.addTask({ id: `burst-${i}` }));
    await firstValueFrom(camb.watchAll(from(ids)).pipe(last()));
    await statusRequests(simulator, opened + 1 + 2 * R);
    return simulator.requests.slice(opened);
  } finally {
    await camb.close();
  }
}

describe('one budget across worker processes, as measured at the server', () => {
  it('4 workers under a backlog: no sliding second over maxRequestsPerSecond, never more in flight than maxConcurrentRequests', { timeout: 40_000 }, async () => {
    const simulator = await startSimulator({ latencyMs: 10 });
    const budget = { maxRequestsPerSecond: 200, maxConcurrentRequests: 6 };
    const options = queueOptions(simulator, budget);
    const ids = Array.from({ length: 300 }, (_, i) => simulator.addTask({ id: `t${i}`, pendingPolls: 1 }));
    const camb = createCambQueue(options);
    try {
      await firstValueFrom(camb.watchAll(from(ids)).pipe(last()));
    } finally {
      await camb.close();
    }
    await startWorkers(options, 4, 5);
    await statusRequests(simulator, 2 * ids.length, 30_000);
    expectServerBudgetKept(simulator.requests, budget.maxRequestsPerSecond, budget.maxConcurrentRequests);
  });

  it('the same load on a naive { max: R, duration: 1000 } limiter breaks the bound (the split windows keep it)', { timeout: 40_000 }, async () => {
    const budget = { maxRequestsPerSecond: 20, maxConcurrentRequests: 200 };
    const naiveSimulator = await startSimulator({ latencyMs: 5 });
    const naive = await burst(naiveSimulator, queueOptions(naiveSimulator, budget), true);
    expect(() => expectServerBudgetKept(naive, 20, 200)).toThrow(/sliding second at the server saw \d+ requests, over the budget of 20/);

    const splitSimulator = await startSimulator({ latencyMs: 5 });
    const split = await burst(splitSimulator, queueOptions(splitSimulator, budget), false);
    expectServerBudgetKept(split, 20, 200);
  });

  it('a 429 with Retry-After: 2 pauses every worker process: no request reaches the server during the pause', { timeout: 40_000 }, async () => {
    const simulator = await startSimulator({ latencyMs: 10 });
    // The default slack: a slot is used within 20 ms or given back.
    const options = queueOptions(simulator, { maxRequestsPerSecond: 150, maxConcurrentRequests: 20, slackMs: 40 });
    const sendWithinMs = 20;
    const ids = Array.from({ length: 150 }, (_, i) => simulator.addTask({ id: `t${i}`, pendingPolls: 4 }));
    const camb = createCambQueue(options);
    try {
      await firstValueFrom(camb.watchAll(from(ids)).pipe(last()));
    } finally {
      await camb.close();
    }
    const workers = await startWorkers(options, 4, 5);
    await statusRequests(simulator, 100);
    // When the pause began: read the queue's limiter once the refused worker has set it (connected
    // first), bracketed by the clock before and after the read: the pause surely began by
    // `pauseStartedAt` and surely lasted until `pauseEndsAt`.
    const polls = new Queue(queueNames(options.apiKey).polls, { connection: redisConnection, prefix: options.prefix! });
    let pauseStartedAt = 0;
    let pauseEndsAt = 0;
    try {
      await polls.getRateLimitTtl();
      simulator.injectFault({ type: 'http', status: 429, retryAfter: 2 });
      await simulator.waitForRequest((entry) => entry.status === 429 && entry.finishedAt !== undefined, 10_000);
      for (let tries = 0; tries < 200 && pauseEndsAt === 0; tries++) {
        const before = performance.now();
        const ttl = await polls.getRateLimitTtl();
        if (ttl > 1000) {
          pauseStartedAt = performance.now() + ttl - 2000;
          pauseEndsAt = before + ttl;
        } else await sleep(5);
      }
    } finally {
      await polls.close();
    }
    expect(pauseEndsAt).toBeGreaterThan(0);
    await statusRequests(simulator, simulator.requests.length + 20); // work resumed after the pause
    // Slots taken before the pause may still be used for sendWithinMs (plus 25 ms for this busy
    // process to log their arrival); after that, silence until the pause ends, then work again.
    const duringPause = simulator.requests.filter((entry) => entry.startedAt > pauseStartedAt + sendWithinMs + 25 && entry.startedAt < pauseEndsAt);
    expect(pauseEndsAt - pauseStartedAt).toBeGreaterThan(1900);
    expect(duringPause).toEqual([]);
    expect(simulator.requests.some((entry) => entry.startedAt >= pauseEndsAt)).toBe(true);
    const senders = new Set(simulator.requests.map((entry) => entry.headers['x-worker-pid']));
    expect(senders.size).toBe(workers.length); // every process was sending, and every one paused
  });
});
