import { QueueEvents } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { queueNames } from '../../src/bullmq/job-ids.js';
import type { CambQueueOptions } from '../../src/bullmq/index.js';
import type { CambSimulator } from '../../src/testing/index.js';
import { useSimulators } from '../_helpers/simulator-harness.js';
import { redisConnection, useRedisPrefixes } from './redis-harness.js';
import { collectResults, resultJobCount, watchAll } from './queue-helpers.js';
import { expectServerBudgetKept } from './server-bounds.js';
import { killHard, sentBy, useWorkerProcesses } from './worker-processes.js';

const startSimulator = useSimulators();
const newPrefix = useRedisPrefixes();
const startWorker = useWorkerProcesses();
/** Short locks, so that a killed worker's job is taken over within about two seconds. */
const quickTakeover = { lockDurationMs: 1500, stalledIntervalMs: 1000 };

/** Queue options on the simulator, JSON-able for the forked workers. */
function queueOptions(simulator: CambSimulator, extra: Partial<CambQueueOptions> = {}): CambQueueOptions {
  return {
    apiKey: simulator.apiKey,
    baseUrl: simulator.url,
    connection: redisConnection,
    prefix: newPrefix(),
    budget: { maxRequestsPerSecond: 400, maxConcurrentRequests: 40, slackMs: 200 }, // wide: a busy CI machine
    interval: 100,
    ...extra,
  };
}

describe('camb-rx/bullmq across worker processes', () => {
  it('4 workers, 1,000 tasks, one killed mid-request and replaced: every terminal status delivered, exactly 1,000 results', { timeout: 60_000 }, async () => {
    const simulator = await startSimulator({ latencyMs: 30 });
    const ids = Array.from({ length: 1000 }, (_, i) => simulator.addTask({ id: `task-${i}`, pendingPolls: 1 }));
    const options = queueOptions(simulator);
    await watchAll(options, ids);
    const workers = await Promise.all([1, 2, 3, 4].map(() => startWorker({ queue: options, worker: { concurrency: 15, ...quickTakeover } })));
    const collecting = collectResults(options, (delivered) => delivered.size === ids.length, 45_000);

    // Once 400 requests are in, kill the first worker while the server is answering one of its requests.
    const victim = String(workers[0]!.child.pid);
    await simulator.waitForRequest((entry) => entry.seq >= 400 && entry.headers['x-worker-pid'] === victim && entry.finishedAt === undefined, 20_000);
    const killedAt = await killHard(workers[0]!);
    // It died with requests in flight: sent before the kill, not answered before it.
    const cutOff = sentBy(workers[0]!, simulator.requests).filter((entry) => entry.startedAt < killedAt && (entry.finishedAt ?? Infinity) > killedAt);
    expect(cutOff.length).toBeGreaterThan(0);
    await startWorker({ queue: options, worker: { concurrency: 15, ...quickTakeover } });

    const { delivered } = await collecting;
    expect([...delivered.keys()].sort()).toEqual([...ids].sort());
    expect([...delivered.values()].every((times) => times === 1)).toBe(true);
    expect(await resultJobCount(options)).toBe(1000);
    expect(simulator.tasks.every((task) => task.status === 'SUCCESS')).toBe(true);
    expectServerBudgetKept(simulator.requests, 400, 40);
  });

  it('one task survives two separate worker kills, each mid-request', { timeout: 30_000 }, async () => {
    const simulator = await startSimulator({ latencyMs: 400 });
    const id = simulator.addTask({ pendingPolls: 4 });
    const options = queueOptions(simulator);
    await watchAll(options, [id]);
    for (const read of [1, 3]) {
      const worker = await startWorker({ queue: options, worker: { concurrency: 1, ...quickTakeover } });
      const inFlight = await simulator.waitForRequest((entry) => entry.seq === read, 10_000);
      const killedAt = await killHard(worker);
      expect(sentBy(worker, [inFlight])).toHaveLength(1);
      expect(inFlight.finishedAt ?? Infinity).toBeGreaterThan(killedAt); // killed while its request was in flight
    }
    await startWorker({ queue: options, worker: { concurrency: 1, ...quickTakeover } });
    const { statuses } = await collectResults(options, (delivered) => delivered.size === 1, 20_000);
    expect(statuses).toMatchObject([{ taskId: id, status: 'SUCCESS' }]);
    expect(simulator.task(id).polls).toBe(5);
  });

  it('a worker killed between adding the result and completing its poll job still yields exactly one result', { timeout: 30_000 }, async () => {
    const simulator = await startSimulator();
    const id = simulator.addTask({ pendingPolls: 1 });
    const options = queueOptions(simulator);
    await watchAll(options, [id]);
    const crashing = await startWorker({ queue: options, worker: { concurrency: 1, ...quickTakeover }, crashAfterResultAdd: true });
    expect((await crashing.exited).signal).toBe('SIGKILL');
    expect(simulator.task(id).polls).toBe(2);
    await startWorker({ queue: options, worker: { concurrency: 1, ...quickTakeover } });
    // The stalled poll job runs again (a third read), and its result add is a no-op.
    await simulator.waitForRequest(() => simulator.task(id).requests === 3, 10_000);
    const { statuses } = await collectResults(options, (delivered) => delivered.size === 1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 500)); // room for a second delivery, were there one
    expect(statuses).toHaveLength(1);
    expect(await resultJobCount(options)).toBe(1);
  });

  it('SIGTERM drains a worker: its request in flight finishes, no job stalls, and it exits 0', { timeout: 30_000 }, async () => {
    const simulator = await startSimulator({ latencyMs: 500 });
    const ids = [simulator.addTask({ pendingPolls: 1 }), simulator.addTask({ pendingPolls: 1 })];
    const options = queueOptions(simulator);
    const events = new QueueEvents(queueNames(options.apiKey).polls, { connection: redisConnection, prefix: options.prefix! });
    const stalled: string[] = [];
    events.on('stalled', ({ jobId }) => stalled.push(jobId));
    await events.waitUntilReady();
    try {
      await watchAll(options, ids);
      const worker = await startWorker({ queue: options, worker: { concurrency: 2, ...quickTakeover } });
      const inFlight = await simulator.waitForRequest((entry) => entry.route === 'status', 10_000);
      worker.child.kill('SIGTERM');
      await worker.closed;
      expect(await worker.exited).toEqual({ code: 0, signal: null });
      expect(inFlight).toMatchObject({ status: 200, closedByClient: false }); // answered before the worker exited

      await startWorker({ queue: options, worker: { concurrency: 2, ...quickTakeover } });
      const { statuses } = await collectResults(options, (delivered) => delivered.size === 2, 15_000);
      expect(statuses.map((s) => s.status)).toEqual(['SUCCESS', 'SUCCESS']);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // past a stalled check
      expect(stalled).toEqual([]);
      // Two reads per task: the drained reads were kept, none was repeated.
      expect(simulator.requests.filter((entry) => entry.route === 'status')).toHaveLength(4);
    } finally {
      await events.close();
    }
  });
});
