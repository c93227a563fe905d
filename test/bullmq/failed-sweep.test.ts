import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createJobId, queueNames, taskJobId } from '../../src/bullmq/job-ids.js';
import { FAILED_WATCHES, retryFailedJobs } from '../../src/bullmq/failed-job-sweep.js';
import { createJobOptions } from '../../src/bullmq/job-options.js';
import { PollSteps } from '../../src/bullmq/poll-job-data.js';
import { createCambQueue, type CambQueueOptions } from '../../src/bullmq/index.js';
import { useSimulators } from '../_helpers/simulator-harness.js';
import { resultJobCount } from './queue-helpers.js';
import { redisConnection, useRedisPrefixes } from './redis-harness.js';

const startSimulator = useSimulators();
const newPrefix = useRedisPrefixes();

/**
 * Takes the polls queue's next job as a bare BullMQ worker would, and fails it for good. The
 * queue's global rate limit (a few jobs per sub-window) can hand out nothing for a moment: then it
 * asks again, for up to 5 s.
 */
async function failNextJob(options: CambQueueOptions, queue: 'polls' | 'results' = 'polls'): Promise<Job> {
  const worker = new Worker(queueNames(options.apiKey)[queue], null, { connection: options.connection, prefix: options.prefix!, autorun: false });
  try {
    const token = 'forced-failure';
    let job: Job | undefined;
    for (const giveUpAt = Date.now() + 5000; job === undefined && Date.now() < giveUpAt; ) {
      job = await worker.getNextJob(token, { block: false });
      if (job === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (job === undefined) throw new Error(`no job to fail in the ${queue} queue within 5 s`);
    await job.moveToFailed(new UnrecoverableError('forced into failed'), token);
    return job;
  } finally {
    await worker.close();
  }
}

describe('failed watch jobs', () => {
  it('are moved back by a starting worker and finish with exactly one result; failed creates stay failed', async () => {
    const simulator = await startSimulator();
    const id = simulator.addTask({ pendingPolls: 1 });
    const options: CambQueueOptions = {
      apiKey: simulator.apiKey,
      baseUrl: simulator.url,
      connection: redisConnection,
      prefix: newPrefix(),
      budget: { maxRequestsPerSecond: 50, maxConcurrentRequests: 10 },
      interval: 50,
    };
    const polls = new Queue(queueNames(options.apiKey).polls, { connection: redisConnection, prefix: options.prefix! });
    const camb = createCambQueue(options);
    try {
      await camb.watch(id);
      const failedWatch = await failNextJob(options);
      expect(failedWatch.id).toBe(taskJobId('transcribe', id));
      // A create that failed (sent, or refused by CAMB) must never be sent again.
      await polls.add(PollSteps.create, { language: 1, mediaUrl: 'https://example.com/a.mp3' }, createJobOptions(createJobId()));
      const failedCreate = await failNextJob(options);
      expect(await polls.getRanges(['failed'])).toHaveLength(2);

      const worker = camb.runWorker({ concurrency: 2 }).subscribe();
      const delivered = await firstValueFrom(camb.terminalStatuses$().pipe(take(1), toArray()));
      worker.unsubscribe();
      await camb.close();

      expect(delivered).toMatchObject([{ taskId: id, status: 'SUCCESS', poll: 2 }]);
      expect(simulator.task(id).polls).toBe(2);
      expect(await resultJobCount(options)).toBe(1);
      expect(await polls.getRanges(['failed'])).toEqual([failedCreate.id]);
      expect(simulator.requests.filter((request) => request.route === 'create')).toHaveLength(0);
    } finally {
      await camb.close();
      await polls.close();
    }
  });

  it('are moved back at most `limit` per pass, oldest failure first', async () => {
    const simulator = await startSimulator();
    const options: CambQueueOptions = { apiKey: simulator.apiKey, baseUrl: simulator.url, connection: redisConnection, prefix: newPrefix(), budget: { maxRequestsPerSecond: 50, maxConcurrentRequests: 10 } };
    const polls = new Queue(queueNames(options.apiKey).polls, { connection: redisConnection, prefix: options.prefix! });
    const camb = createCambQueue(options);
    try {
      const ids = ['a', 'b', 'c'];
      for (const id of ids) await camb.watch(id);
      for (const _ of ids) await failNextJob(options);
      expect(await retryFailedJobs(polls, FAILED_WATCHES, 2)).toBe(2);
      expect(await polls.getRanges(['failed'])).toEqual([taskJobId('transcribe', 'c')]);
      expect(await polls.getRanges(['wait'], 0, -1, true)).toEqual([taskJobId('transcribe', 'a'), taskJobId('transcribe', 'b')]);
      expect(await retryFailedJobs(polls, FAILED_WATCHES, 2)).toBe(1);
      expect(await polls.getRanges(['failed'])).toEqual([]);
    } finally {
      await camb.close();
      await polls.close();
    }
  });
});

describe('failed result jobs', () => {
  it('are moved back by a starting results worker and delivered: a handler that failed on every attempt loses nothing', async () => {
    const simulator = await startSimulator();
    const id = simulator.addTask({ pendingPolls: 0 });
    const options: CambQueueOptions = { apiKey: simulator.apiKey, baseUrl: simulator.url, connection: redisConnection, prefix: newPrefix(), budget: { maxRequestsPerSecond: 50, maxConcurrentRequests: 10 } };
    const results = new Queue(queueNames(options.apiKey).results, { connection: redisConnection, prefix: options.prefix! });
    const camb = createCambQueue(options);
    try {
      await camb.watch(id);
      const worker = camb.runWorker({ concurrency: 1 }).subscribe();
      for (const giveUpAt = Date.now() + 10_000; (await resultJobCount(options)) === 0 && Date.now() < giveUpAt; ) await new Promise((resolve) => setTimeout(resolve, 20));
      worker.unsubscribe();
      const failedResult = await failNextJob(options, 'results');
      expect(await results.getRanges(['failed'])).toEqual([failedResult.id]);

      const handled: string[] = [];
      const delivered = await firstValueFrom(camb.results$((status) => void handled.push(status.taskId)).pipe(take(1)));
      expect(delivered).toMatchObject({ taskId: id, status: 'SUCCESS' });
      expect(handled).toEqual([id]);
      for (const giveUpAt = Date.now() + 5000; (await results.getRanges(['failed'])).length > 0 && Date.now() < giveUpAt; ) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await results.getRanges(['failed'])).toEqual([]);
    } finally {
      await camb.close();
      await results.close();
    }
  });
});
