import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { adaptiveCadence, type AdaptiveCadenceOptions, type CadenceSnapshot } from '../../src/index.js';
import { createCambQueue, type CambQueueOptions } from '../../src/bullmq/index.js';
import { queueNames, taskJobId } from '../../src/bullmq/job-ids.js';
import { CADENCE_SYNC_MS, MAX_SHARED_OBSERVATIONS, SharedCadences, cadenceKeys } from '../../src/bullmq/shared-cadences.js';
import type { CambSimulator } from '../../src/testing/index.js';
import { useSimulators } from '../_helpers/simulator-harness.js';
import { collectResults, watchAll } from './queue-helpers.js';
import { redisConnection, useRedisPrefixes } from './redis-harness.js';
import { killHard, sentBy, useWorkerProcesses } from './worker-processes.js';

const startSimulator = useSimulators();
const newPrefix = useRedisPrefixes();
const startWorker = useWorkerProcesses();

/** A fast cadence whose prior (tasks of about 20 s) is far from the tasks' real 3 s. */
const cadenceOptions: AdaptiveCadenceOptions = { meanLagMs: 1000, minIntervalMs: 100, maxIntervalMs: 4000, prior: { medianMs: 20_000, sigma: 0.5, weight: 1 } };

/** Queue options on the simulator with the default (shared) cadence, JSON-able for the forked workers. */
function queueOptions(simulator: CambSimulator): CambQueueOptions {
  return {
    apiKey: simulator.apiKey,
    baseUrl: simulator.url,
    connection: redisConnection,
    prefix: newPrefix(),
    budget: { maxRequestsPerSecond: 400, maxConcurrentRequests: 40, slackMs: 200 },
    cadences: { transcribe: cadenceOptions },
  };
}

/** The Redis keys of the queue of `options`. */
function keysOf(options: CambQueueOptions) {
  const queueKey = `${options.prefix!}:${queueNames(options.apiKey).polls}`;
  return { queueKey, ...cadenceKeys(queueKey, 'transcribe') };
}

/** A fresh cadence that folds the log's observations in order, each task once (as every worker does). */
async function foldLog(redis: Redis, log: string): Promise<{ cadence: ReturnType<typeof adaptiveCadence>; tasks: number }> {
  const cadence = adaptiveCadence(cadenceOptions);
  const seen = new Set<string>();
  for (const [, fields] of await redis.xrange(log, '-', '+')) {
    const field = (name: string) => fields[fields.indexOf(name) + 1];
    if (seen.has(field('t')!)) continue;
    seen.add(field('t')!);
    const finished = fields.includes('f') ? Number(field('f')) : undefined;
    cadence.observe(finished === undefined ? { runningAtMs: Number(field('r')) } : { runningAtMs: Number(field('r')), finishedByMs: finished });
  }
  return { cadence, tasks: seen.size };
}

/** A cadence's delays at the ages of the first few seconds. */
const schedule = (cadence: { nextDelayMs(ageMs: number): number }) => [0, 500, 1000, 2000, 3000].map((age) => Math.round(cadence.nextDelayMs(age)));

/**
 * Watches a task that stays pending, waits until a worker has read it once and put it back to
 * wait, and returns when that worker planned its next read, and the task's age at its read.
 */
async function plannedRead(simulator: CambSimulator, options: CambQueueOptions, redis: Redis) {
  const probe = simulator.addTask({ id: 'probe', pendingMs: 600_000 });
  await watchAll(options, [probe]);
  const { queueKey } = keysOf(options);
  const jobId = taskJobId('transcribe', probe);
  for (let i = 0; i < 200; i++) {
    const [score, raw] = await Promise.all([redis.zscore(`${queueKey}:delayed`, jobId), redis.hget(`${queueKey}:${jobId}`, 'data')]);
    const data = raw === null ? undefined : (JSON.parse(raw) as { watchedAt: number; pendingAt?: number });
    if (score !== null && data?.pendingAt !== undefined) {
      // BullMQ's delayed score: the time the job is due, × 4096, plus a counter.
      return { dueAt: Math.floor(Number(score) / 0x1000), readAt: data.pendingAt, ageMs: data.pendingAt - data.watchedAt };
    }
    await sleep(50);
  }
  throw new Error('the probe task was never read and delayed');
}

describe('the queue\'s shared adaptive cadence', () => {
  it('two worker processes learn from each other\'s finished tasks: each plans from all of them', { timeout: 60_000 }, async () => {
    const simulator = await startSimulator({ latencyMs: 10 });
    const options = queueOptions(simulator);
    const { log } = keysOf(options);
    const redis = new Redis(redisConnection);
    try {
      const [a, b] = await Promise.all([startWorker({ queue: options, worker: { concurrency: 8 } }), startWorker({ queue: options, worker: { concurrency: 8 } })]);
      const ids = Array.from({ length: 24 }, (_, i) => simulator.addTask({ id: `three-seconds-${i}`, pendingMs: 3000 }));
      await watchAll(options, ids);
      await collectResults(options, (delivered) => delivered.size === ids.length, 30_000);
      // Both workers read the tasks, so each finished some of them.
      expect(sentBy(a!, simulator.requests).length).toBeGreaterThan(0);
      expect(sentBy(b!, simulator.requests).length).toBeGreaterThan(0);
      const { cadence: learned, tasks } = await foldLog(redis, log);
      expect(tasks).toBe(ids.length);

      await sleep(3 * CADENCE_SYNC_MS); // B folds the last observations in
      await killHard(a!); // only B is left to read the next task
      const { dueAt, readAt, ageMs } = await plannedRead(simulator, options, redis);
      // B's next read is exactly where the cadence learned from all 24 tasks puts it…
      expect(dueAt).toBe(Math.ceil(readAt + learned.nextDelayMs(ageMs)));
      // …and not where the prior alone would.
      expect(schedule(learned)).not.toEqual(schedule(adaptiveCadence(cadenceOptions)));
    } finally {
      redis.disconnect();
    }
  });

  it('the learned state survives a restart of every worker through its snapshot in Redis', { timeout: 60_000 }, async () => {
    const simulator = await startSimulator({ latencyMs: 10 });
    const options = queueOptions(simulator);
    const { log, snapshot } = keysOf(options);
    const redis = new Redis(redisConnection);
    try {
      const first = await startWorker({ queue: options, worker: { concurrency: 8 } });
      const ids = Array.from({ length: 12 }, (_, i) => simulator.addTask({ id: `three-seconds-${i}`, pendingMs: 3000 }));
      await watchAll(options, ids);
      await collectResults(options, (delivered) => delivered.size === ids.length, 30_000);
      await sleep(2 * CADENCE_SYNC_MS);
      first.child.kill('SIGTERM'); // a graceful stop writes what the worker learned
      await first.closed;

      const stored = JSON.parse((await redis.get(snapshot))!) as { through: string; snapshot: CadenceSnapshot };
      const [lastEntry] = await redis.xrevrange(log, '+', '-', 'COUNT', 1);
      expect(stored.through).toBe(lastEntry![0]);
      expect(stored.snapshot.observed + stored.snapshot.pending.length).toBe(ids.length);
      await redis.del(log); // only the snapshot can carry the learning now

      await startWorker({ queue: options, worker: { concurrency: 8 } });
      const { dueAt, readAt, ageMs } = await plannedRead(simulator, options, redis);
      const resumed = adaptiveCadence({ ...cadenceOptions, snapshot: stored.snapshot });
      expect(dueAt).toBe(Math.ceil(readAt + resumed.nextDelayMs(ageMs)));
      expect(schedule(resumed)).not.toEqual(schedule(adaptiveCadence(cadenceOptions)));
    } finally {
      redis.disconnect();
    }
  });

  it('keeps Redis memory bounded, folds each log entry once and each task once', { timeout: 60_000 }, async () => {
    const prefix = newPrefix();
    const queue = new Queue('cadence-bounds', { connection: redisConnection, prefix });
    const redis = new Redis(redisConnection);
    const { log } = cadenceKeys(queue.qualifiedName, 'transcribe');
    const shared = new SharedCadences(() => queue.getBackend().client, queue.qualifiedName, {});
    try {
      await shared.start();
      const total = 3 * MAX_SHARED_OBSERVATIONS;
      /** A job id as CAMB's UUID task ids make them. */
      const jobId = (i: number) => taskJobId('transcribe', `0f8c2b6e-6a1d-4c1e-9a53-${String(i).padStart(12, '0')}`);
      for (let from = 0; from < total; from += 500) {
        await Promise.all(Array.from({ length: 500 }, (_, i) => shared.observe('transcribe', jobId(from + i), { runningAtMs: 56_123, finishedByMs: 61_234 })));
      }
      const length = await redis.xlen(log);
      expect(length).toBeGreaterThanOrEqual(MAX_SHARED_OBSERVATIONS);
      expect(length).toBeLessThanOrEqual(MAX_SHARED_OBSERVATIONS + 100); // trimming drops whole nodes of 100 entries
      expect(await redis.memory('USAGE', log)).toBeLessThan(MAX_SHARED_OBSERVATIONS * 96);

      // A fresh process folds what the log holds; folding again adds nothing, nor does a task reported twice.
      const fresh = new SharedCadences(() => queue.getBackend().client, queue.qualifiedName, {});
      await fresh.start();
      expect(fresh.cadence('transcribe').observed).toBe(length);
      await fresh.sync();
      await fresh.observe('transcribe', jobId(total - 1), { runningAtMs: 56_123, finishedByMs: 61_234 });
      await fresh.sync();
      expect(fresh.cadence('transcribe').observed).toBe(length);
      await fresh.stop();
    } finally {
      await shared.stop();
      await queue.close();
      redis.disconnect();
    }
  });

  it('takes an adaptiveCadence() as interval, as the streams do: it learns from the watches this process ends, ages counted from taskCreatedAt', async () => {
    const simulator = await startSimulator();
    const cadence = adaptiveCadence({ minIntervalMs: 50, maxIntervalMs: 200 });
    const camb = createCambQueue({ ...queueOptions(simulator), cadences: undefined, interval: cadence });
    try {
      expect(() => camb.watch('a', 'transcribe', { taskCreatedAt: Number.NaN })).toThrow(TypeError);
      expect(() => camb.watch('a', 'transcribe', { createdAt: 1 } as never)).toThrow(/taskCreatedAt/);
      const ids = [simulator.addTask({ pendingPolls: 1 }), simulator.addTask({ pendingPolls: 2 })];
      const createdAt = Date.now() - 60_000;
      for (const id of ids) await camb.watch(id, 'transcribe', { taskCreatedAt: createdAt });
      const worker = camb.runWorker({ concurrency: 2 }).subscribe();
      const delivered = await firstValueFrom(camb.terminalStatuses$().pipe(take(2), toArray()));
      worker.unsubscribe();
      expect(delivered.every((status) => status.elapsedMs >= 60_000)).toBe(true);
      expect(cadence.observed).toBe(2);
      const [finished] = cadence.snapshot().pending;
      expect(finished![0]).toBeGreaterThanOrEqual(60_000); // still running at its last pending read, a minute old
    } finally {
      await camb.close();
    }
  });
});
