import { Observable, type OperatorFunction } from 'rxjs';
import { budgetOptionKeys, resolveBudgetOptions } from '../budget/budget-options.js';
import { cambOptionKeys } from '../connection/connection-options.js';
import { assertKnownKeys } from '../util/assert-known-keys.js';
import { RequestBudget, maxPauseOf } from '../budget/request-budget.js';
import type { TaskFailure } from '../errors/camb-merge-error.js';
import { TaskEngine } from '../engine/task-engine.js';
import { endOnAbort } from '../status/end-on-abort.js';
import { pollOptionKeys, resolvePollOptions, type PollOptions, type ResolvedPollOptions } from '../status/status-options.js';
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
 * (a fresh one per subscription, or the client's shared one). Each subscription drives all its
 * tasks from one {@link TaskEngine}: one timer heap, a plain record per task, no pipeline per task.
 *
 * @internal
 */
export function mergeTasksWith(
  poll: ResolvedPollOptions,
  { kind, failFast, onTaskError, failures }: ResolvedMergeBehaviour,
  budgetFor: () => RequestBudget,
): OperatorFunction<string, TaskStatus | TaskFailure> {
  return (taskIds) =>
    new Observable<TaskStatus | TaskFailure>((subscriber) => {
      const budget = budgetFor();
      const options: ResolvedPollOptions = { ...poll, connection: { ...poll.connection, budget } };
      const engine = new TaskEngine(kind, options, budget, { failFast, onTaskError, emitFailures: failures === FailureModes.emit }, subscriber);
      subscriber.add(() => engine.close());
      subscriber.add(
        taskIds.subscribe({
          next: (taskId) => engine.add(taskId),
          error: (error: unknown) => subscriber.error(error),
          complete: () => engine.endOfInput(),
        }),
      );
    }).pipe(endOnAbort(poll.signal));
}
