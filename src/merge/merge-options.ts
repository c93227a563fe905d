import type { BudgetOptions } from '../budget/budget-options.js';
import type { TaskFailure } from '../errors/camb-merge-error.js';
import { assertFunction, optionError } from '../util/assert-option.js';
import { TaskKinds, isTaskKind, type TaskKind } from '../wire/task-kind.js';

/**
 * What `mergeTasks` does with many tasks, on top of the budget.
 *
 * @example
 * ```ts
 * import { mergeTasks, type MergeOptions } from 'camb-rx';
 * const options: MergeOptions = { kind: 'dub', maxRequestsPerSecond: 5, onTaskError: (f) => console.error(f.taskId, f.error) };
 * dubIds$.pipe(mergeTasks({ apiKey, ...options })).subscribe((s) => console.log(s.taskId, s.status));
 * ```
 */
export interface MergeOptions extends BudgetOptions {
  /**
   * The kind of every task id that comes in.
   * @default 'transcribe'
   */
  kind?: TaskKind | undefined;
  /**
   * Fail the whole stream (tearing every task down) at the first task that cannot be followed.
   * @default false
   */
  failFast?: boolean | undefined;
  /**
   * Told of each task that cannot be followed (HTTP error, deadline, …) while the others go on.
   * Without it, such failures are collected and the stream fails with `CambMergeError` once every
   * other task has reached its outcome, so none is lost in silence.
   * @default undefined
   */
  onTaskError?: ((failure: TaskFailure) => void) | undefined;
}

/**
 * {@link MergeOptions} without the budget, which a client may bind instead.
 *
 * @example
 * ```ts
 * import { createCambClient, type MergeBehaviour } from 'camb-rx';
 * const behaviour: MergeBehaviour = { kind: 'dub', failFast: true };
 * dubIds$.pipe(createCambClient({ apiKey }).mergeTasks({ ...behaviour, interval: 10_000 })).subscribe(console.log);
 * ```
 */
export type MergeBehaviour = Omit<MergeOptions, keyof BudgetOptions>;

/** {@link MergeBehaviour} checked, with defaults filled in. */
export interface ResolvedMergeBehaviour {
  readonly kind: TaskKind;
  readonly failFast: boolean;
  readonly onTaskError: ((failure: TaskFailure) => void) | undefined;
}

/** Checks the merge behaviour options; throws `TypeError` on a bad value. */
export function resolveMergeBehaviour(options: MergeBehaviour): ResolvedMergeBehaviour {
  const { kind = TaskKinds.transcribe, failFast = false, onTaskError } = options;
  if (!isTaskKind(kind)) throw optionError('kind', 'a TaskKind', kind);
  if (typeof failFast !== 'boolean') throw optionError('failFast', 'a boolean', failFast);
  if (onTaskError !== undefined) assertFunction('onTaskError', onTaskError);
  return { kind, failFast, onTaskError };
}
