import type { BudgetOptions } from '../budget/budget-options.js';
import type { TaskFailure } from '../errors/camb-merge-error.js';
import { optionKeys } from '../util/assert-known-keys.js';
import { assertFunction, optionError } from '../util/assert-option.js';
import { TaskKinds, isTaskKind, type TaskKind } from '../wire/task-kind.js';
import { FailureModes, isFailureMode, type FailureMode } from './failure-mode.js';

/**
 * What `mergeTasks` does with many tasks, on top of the budget.
 *
 * @example
 * ```ts
 * import { mergeTasks, type MergeOptions } from 'camb-rx';
 * const options: MergeOptions = { kind: 'dub', maxRequestsPerSecond: 5, onTaskError: (f) => console.error(f.taskId, f.error) };
 * dubIds$.pipe(mergeTasks({ apiKey, ...options })).subscribe(console.log);
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
   * Without it (and without `failures: 'emit'`), such failures are collected and the stream fails
   * with `CambMergeError` once every other task has reached its outcome, so none is lost in silence.
   * @default undefined
   */
  onTaskError?: ((failure: TaskFailure) => void) | undefined;
  /**
   * `'emit'`: each task that cannot be followed becomes a {@link TaskFailure} value of the stream
   * (`'error' in value` tells it from a status), also told to `onTaskError` if given; the stream
   * then never fails for a task. `'error'`: as `failFast` and `onTaskError` say.
   * @default 'error'
   */
  failures?: FailureMode | undefined;
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

/** Every name of {@link MergeBehaviour}, for the check of unknown options. */
export const mergeBehaviourKeys = optionKeys<MergeBehaviour>({ kind: true, failFast: true, onTaskError: true, failures: true });

/** {@link MergeBehaviour} checked, with defaults filled in. */
export interface ResolvedMergeBehaviour {
  readonly kind: TaskKind;
  readonly failFast: boolean;
  readonly onTaskError: ((failure: TaskFailure) => void) | undefined;
  readonly failures: FailureMode;
}

/** Checks the merge behaviour options; throws `TypeError` on a bad value. */
export function resolveMergeBehaviour(options: MergeBehaviour): ResolvedMergeBehaviour {
  const { kind = TaskKinds.transcribe, failFast = false, onTaskError, failures = FailureModes.error } = options;
  if (!isTaskKind(kind)) throw optionError('kind', 'a TaskKind', kind);
  if (typeof failFast !== 'boolean') throw optionError('failFast', 'a boolean', failFast);
  if (onTaskError !== undefined) assertFunction('onTaskError', onTaskError);
  if (!isFailureMode(failures)) throw optionError('failures', "'error' or 'emit'", failures);
  if (failFast && failures === FailureModes.emit) throw new TypeError("camb-rx: options `failFast: true` and `failures: 'emit'` contradict each other; pick one");
  return { kind, failFast, onTaskError, failures };
}
