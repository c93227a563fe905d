import { Job, type Queue } from 'bullmq';
import { Observable } from 'rxjs';
import { isCreateJobId } from './job-ids.js';
import { PollSteps, type PollJobData } from './poll-job-data.js';

/** How often each worker process sweeps the polls queue's failed set (and once as it starts). */
const FAILED_SWEEP_INTERVAL_MS = 60_000;

/** The most watches one pass moves back (each costs two Redis calls), so that a pass stays short. */
const FAILED_SWEEP_BATCH = 100;

/** Failed job ids read per Redis call. */
const PAGE_SIZE = 500;

/**
 * Moves failed watch jobs of the polls queue back to waiting, oldest failure first, at most `limit`
 * of them. A watch fails only past its attempts (an error on every try for hours) or on an error
 * nobody expected; forgetting it would lose the task, while reading it again costs one request and
 * ends, at worst, at its `timeoutMs`. Failed create jobs stay failed: a create is never sent twice.
 * Several processes may sweep at once: a job another one moved first is skipped.
 *
 * @returns how many watches this pass moved back
 */
export async function retryFailedWatches(polls: Queue<PollJobData>, limit = FAILED_SWEEP_BATCH): Promise<number> {
  let retried = 0;
  for (let offset = 0; retried < limit; ) {
    const ids = await polls.getRanges(['failed'], offset, offset + PAGE_SIZE - 1, true);
    let retriedInPage = 0;
    for (const id of ids) {
      if (retried + retriedInPage === limit) break;
      if (isCreateJobId(id)) continue;
      const job = await Job.fromId<PollJobData>(polls, id);
      if (job?.name !== PollSteps.watch) continue;
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
 * Sweeps the failed set as a worker starts and every {@link FAILED_SWEEP_INTERVAL_MS} while it
 * runs, one pass at a time; emits nothing. A pass that meets an error (Redis away) waits for the
 * next. `closing` holds a pass in progress, so that the queue's `close()` waits for it.
 */
export function failedWatchSweep<T>(polls: Queue<PollJobData>, closing: Set<Promise<void>>): Observable<T> {
  return new Observable<T>(() => {
    let pass: Promise<void> | undefined;
    const sweep = () => {
      if (pass) return;
      const current: Promise<void> = retryFailedWatches(polls)
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
