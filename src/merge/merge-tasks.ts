import { EMPTY, concat, defer, filter, finalize, mergeMap, catchError, of, throwError, type Observable, type OperatorFunction } from 'rxjs';
import { budgetOptionKeys, resolveBudgetOptions } from '../budget/budget-options.js';
import { cambOptionKeys } from '../connection/connection-options.js';
import { assertKnownKeys } from '../util/assert-known-keys.js';
import { RequestBudget, maxPauseOf } from '../budget/request-budget.js';
import { CambMergeError, type TaskFailure } from '../errors/camb-merge-error.js';
import { endOnAbort } from '../status/end-on-abort.js';
import { pollOptionKeys, resolvePollOptions, type PollOptions, type ResolvedPollOptions } from '../status/status-options.js';
import { taskStatusWith } from '../status/task-status-stream.js';
import type { TaskStatus } from '../wire/task-status.js';
import { FailureModes } from './failure-mode.js';
import { mergeBehaviourKeys, resolveMergeBehaviour, type MergeOptions, type ResolvedMergeBehaviour } from './merge-options.js';

/**
 * Watches every task id that comes in, at once, under one shared request budget, and emits the
 * statuses of all of them. An id already being watched is skipped. Completes once the input has
 * completed and every task has reached its outcome. Unsubscribing (or aborting `signal`) tears every
 * task down. See {@link MergeOptions} for what happens when one task cannot be followed.
 *
 * The budget (`maxConcurrentRequests`, `maxRequestsPerSecond`) is shared by every task of one
 * subscription; a 429 with `Retry-After` on any request holds every task's next request until then.
 *
 * @param options - `apiKey`, connection, polling, budget and merge options
 * @returns an operator from task ids to {@link TaskStatus} values
 * @throws TypeError at call time for a bad option
 * @example
 * ```ts
 * import { mergeTasks, distinctStatus } from 'camb-rx';
 * import { from } from 'rxjs';
 * from(['id-1', 'id-2', 'id-3'])
 *   .pipe(mergeTasks({ apiKey, maxRequestsPerSecond: 5 }), distinctStatus())
 *   .subscribe((s) => console.log(s.taskId, s.status));
 * ```
 */
export function mergeTasks(options: PollOptions & MergeOptions & { failures: 'emit' }): OperatorFunction<string, TaskStatus | TaskFailure>;
export function mergeTasks(options: PollOptions & MergeOptions & { failures?: 'error' | undefined }): OperatorFunction<string, TaskStatus>;
export function mergeTasks(options: PollOptions & MergeOptions): OperatorFunction<string, TaskStatus | TaskFailure>;
export function mergeTasks(options: PollOptions & MergeOptions): OperatorFunction<string, TaskStatus | TaskFailure> {
  assertKnownKeys(options, [...cambOptionKeys, ...pollOptionKeys, ...budgetOptionKeys, ...mergeBehaviourKeys]);
  const poll = resolvePollOptions(options);
  const budget = resolveBudgetOptions(options);
  return mergeTasksWith(poll, resolveMergeBehaviour(options), () => new RequestBudget(budget, poll.connection.scheduler, maxPauseOf(poll.connection)));
}

/**
 * {@link mergeTasks} with options already resolved; `budgetFor` gives the budget of a subscription
 * (a fresh one per subscription, or the client's shared one).
 *
 * @internal
 */
export function mergeTasksWith(
  poll: ResolvedPollOptions,
  { kind, failFast, onTaskError, failures: failureMode }: ResolvedMergeBehaviour,
  budgetFor: () => RequestBudget,
): OperatorFunction<string, TaskStatus | TaskFailure> {
  return (taskIds) =>
    defer(() => {
      const perTask: ResolvedPollOptions = { ...poll, signal: undefined, connection: { ...poll.connection, budget: budgetFor() } };
      const watching = new Set<string>();
      const failures: TaskFailure[] = [];

      const follow = (taskId: string): Observable<TaskStatus | TaskFailure> =>
        defer(() => taskStatusWith(kind, taskId, perTask)).pipe(
          catchError((error: unknown) => {
            const failure: TaskFailure = { taskId, kind, error };
            if (failFast) return throwError(() => new CambMergeError([failure]));
            onTaskError?.(failure);
            if (failureMode === FailureModes.emit) return of(failure);
            if (!onTaskError) failures.push(failure);
            return EMPTY;
          }),
          finalize(() => watching.delete(taskId)),
        );

      const statuses$ = taskIds.pipe(
        filter((taskId) => !watching.has(taskId)),
        mergeMap((taskId) => (watching.add(taskId), follow(taskId))),
      );
      const leftovers$ = defer(() => (failures.length > 0 ? throwError(() => new CambMergeError(failures)) : EMPTY));
      return concat(statuses$, leftovers$);
    }).pipe(endOnAbort(poll.signal));
}
