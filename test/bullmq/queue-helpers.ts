import { Queue } from 'bullmq';
import { firstValueFrom, from, last } from 'rxjs';
import { queueNames } from '../../src/bullmq/job-ids.js';
import { createCambQueue, type CambQueueOptions, type QueuedTaskStatus } from '../../src/bullmq/index.js';

/** Collects terminal statuses (counting repeats) until `done` says so or `timeoutMs` passes. */
export async function collectResults(options: CambQueueOptions, done: (delivered: Map<string, number>) => boolean, timeoutMs: number) {
  const camb = createCambQueue(options);
  const delivered = new Map<string, number>();
  const statuses: QueuedTaskStatus[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${delivered.size} results within ${timeoutMs} ms`)), timeoutMs);
      const subscription = camb.terminalStatuses$({ concurrency: 20 }).subscribe((status) => {
        statuses.push(status);
        delivered.set(status.taskId, (delivered.get(status.taskId) ?? 0) + 1);
        if (done(delivered)) {
          clearTimeout(timer);
          subscription.unsubscribe();
          resolve();
        }
      });
    });
  } finally {
    await camb.close();
  }
  return { delivered, statuses };
}

/** The jobs the results queue holds (completed, i.e. delivered, or still to deliver). */
export async function resultJobCount(options: CambQueueOptions): Promise<number> {
  const results = new Queue(queueNames(options.apiKey).results, { connection: options.connection, prefix: options.prefix! });
  try {
    const counts = await results.getJobCounts('completed', 'waiting', 'active', 'delayed', 'failed');
    return Object.values(counts).reduce((sum, count) => sum + count, 0);
  } finally {
    await results.close();
  }
}

/** Enqueues watches through a queue object of the test process. */
export async function watchAll(options: CambQueueOptions, ids: readonly string[]): Promise<void> {
  const camb = createCambQueue(options);
  try {
    await firstValueFrom(camb.watchAll(from(ids)).pipe(last()));
  } finally {
    await camb.close();
  }
}

