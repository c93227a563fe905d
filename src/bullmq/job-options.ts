import type { JobsOptions } from 'bullmq';

/**
 * Every stall (a worker killed mid-job) counts against a job; BullMQ fails it after
 * `maxStalledCount` and the counter never resets. A watch is cheap to repeat, so stalls never fail it.
 */
export const MAX_STALLED_COUNT = 1_000_000;

/**
 * A watch job: removed when it completes (its result job carries the idempotence from then on).
 * An unexpected error (Redis gone mid-job) retries it every 5 s; the task's `timeoutMs` still ends it.
 */
export function watchJobOptions(jobId: string): JobsOptions {
  return { jobId, removeOnComplete: true, attempts: 10_000, backoff: 5000 }; // as short as it can be: it is stored with every watch
}

/** A create job: kept an hour after it completes, for the producer that waits for its task id. */
export function createJobOptions(jobId: string): JobsOptions {
  return { jobId, removeOnComplete: { age: 3600 }, removeOnFail: { age: 86_400 }, attempts: 10_000, backoff: { type: 'fixed', delay: 5000 } };
}

/**
 * A result job, kept `keepResultsMs` after delivery so that adding it again (a repeated `watch`, or a
 * worker that stopped between adding it and completing its watch) is a no-op. A failing handler is
 * retried with exponential backoff from 1 s, 20 times (about 12 days in all); then the results
 * workers' sweep of the failed set moves it back, attempts reset.
 */
export function resultJobOptions(jobId: string, keepResultsMs: number): JobsOptions {
  const age = Math.ceil(keepResultsMs / 1000);
  return { jobId, removeOnComplete: { age }, removeOnFail: { age }, attempts: 20, backoff: { type: 'exponential', delay: 1000 } };
}
