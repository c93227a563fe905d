import { catchError, from, throwError, type Observable } from 'rxjs';
import { isCambMergeError, mergeTasks, taskStatus$, type PollOptions, type TaskKind, type TaskStatus } from '../../src/index.js';

/** One way of watching a task: the same inputs, the same statuses and errors are expected. */
export interface StatusPath {
  readonly name: string;
  watch(kind: TaskKind, taskId: string, options: PollOptions): Observable<TaskStatus>;
}

/**
 * The two paths that follow a task: the single-task stream (`taskStatus$`, an rxjs composition)
 * and the engine behind `mergeTasks` (one scheduler for every task), fed one id with a budget that
 * never holds it. The engine reports the failure of its only task as a `CambMergeError` with
 * `failFast`; it is unwrapped here, so both paths are held to the same error.
 */
export const statusPaths: readonly StatusPath[] = [
  { name: 'stream (taskStatus$)', watch: (kind, taskId, options) => taskStatus$(kind, taskId, options) },
  {
    name: 'engine (mergeTasks)',
    watch: (kind, taskId, options) =>
      from([taskId]).pipe(
        mergeTasks({ ...options, kind, failFast: true, maxConcurrentRequests: Infinity, maxRequestsPerSecond: Infinity }),
        catchError((error: unknown) => throwError(() => (isCambMergeError(error) && error.failures.length === 1 ? error.failures[0]?.error : error))),
      ),
  },
];
