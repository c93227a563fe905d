import { Job, type Queue } from 'bullmq';
import { Observable } from 'rxjs';
import { isCreateJobId } from './job-ids.js';
import { PollSteps, type PollJobData } from './poll-job-data.js';

/** How often each worker process sweeps its queue's failed set (and once as it starts). */
const FAILED_SWEEP_INTERVAL_MS = 60_000;

/** The most jobs one pass moves back (each costs two Redis calls), so that a pass stays short. */
const FAILED_SWEEP_BATCH = 100;

/** Failed job ids read per Redis call. */
const PAGE_SIZE = 500;

/**
 * Which failed jobs a sweep moves back: told first by id (no Redis call), then by the job itself.
 *
 * @internal
 */
export interface SweptJobs<T> {
  readonly id: (id: string) => boolean;
  readonly job: (job: Job<T>) => boolean;
}

/**
 * Of the polls queue, watches only. A watch fails only past its attempts (an error on every try
 * for hours) or on an error nobody expected; forgetting it would lose the task, while reading it
 * again costs one request and ends, at worst, at its `timeoutMs`. Failed create jobs stay failed
 * (a create is never sent twice), and are skipped by id, never fetched.
 *
 * @internal
 */
export const FAILED_WATCHES: SweptJobs<PollJobData> = { id: (id) => !isCreateJobId(id), job: (job) => job.name === PollSteps.watch };

/**
 * Moves failed jobs that `swept` accepts back to waiting with their attempts reset, oldest
 * failure first, at most `limit` of them. Several processes may sweep at once: a job another one
 * moved first is skipped.
 *
 * @param queue - the queue whose failed set is swept
 * @param swept - which failed jobs go back
 * @param limit - the most moved back in this pass
 * @returns how many jobs this pass moved back
 * @internal
 */
export async function retryFailedJobs<T>(queue: Queue<T>, swept: SweptJobs<T>, limit = FAILED_SWEEP_BATCH): Promise<number> {
  let retried = 0;
  for (let offset = 0; retried < limit; ) {
    const ids = await queue.getRanges(['failed'], offset, offset + PAGE_SIZE - 1, true);
    let retriedInPage = 0;
    for (const id of ids) {
      if (retried + retriedInPage === limit) break;
      if (!swept.id(id)) continue;
      const job = await Job.fromId<T>(queue, id);
      if (!job || !swept.job(job)) continue;
      const moved = await job.retry('failed', { resetAttemptsMade: true }).then(
        () => true,
        () => false, // moved, removed or locked by someone else meanwhile
      );
      if (moved) retriedInPage += 1;
    }
    retried += retriedInPage;
    if (ids.length < PAGE_SIZE) break;
    offset += ids.length - retriedInPage; // the ones moved back left the set
  }
  return retried;
}

/**
 * Sweeps a queue's failed set with {@link retryFailedJobs} as a worker starts and every
 * {@link FAILED_SWEEP_INTERVAL_MS} while it runs, one pass at a time; emits nothing. A pass that
 * meets an error (Redis away) waits for the next. `closing` holds a pass in progress, so that the
 * queue's `close()` waits for it.
 *
 * @internal
 */
export function failedJobSweep<T, R>(queue: Queue<T>, swept: SweptJobs<T>, closing: Set<Promise<void>>): Observable<R> {
  return new Observable<R>(() => {
    let pass: Promise<void> | undefined;
    const sweep = () => {
      if (pass) return;
      const current: Promise<void> = retryFailedJobs(queue, swept)
        .then(() => undefined, () => undefined)
        .finally(() => {
          closing.delete(current);
          pass = undefined;
        });
      pass = current;
      closing.add(current);
    };
    sweep();
    const timer = setInterval(sweep, FAILED_SWEEP_INTERVAL_MS);
    return () => clearInterval(timer);
  });
}
