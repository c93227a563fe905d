import type { TaskKind } from '../wire/task-kind.js';
import { CambError } from './camb-error.js';
import { CambErrorCodes } from './error-codes.js';

/**
 * A task `mergeTasks` could not follow to its end, and why.
 *
 * @example
 * ```ts
 * import { mergeTasks, type TaskFailure } from 'camb-rx';
 * const onTaskError = ({ taskId, kind, error }: TaskFailure) => console.warn(`${kind}/${taskId}`, error);
 * taskIds$.pipe(mergeTasks({ apiKey, onTaskError })).subscribe(console.log);
 * ```
 */
export interface TaskFailure {
  /** The id of the task that could not be followed. */
  readonly taskId: string;
  /** Its kind, the `kind` option of `mergeTasks`. */
  readonly kind: TaskKind;
  /** The task's stream error: a `CambError`, or a `TypeError` for a malformed id. */
  readonly error: unknown;
}

/**
 * Some tasks of a `mergeTasks` could not be followed to an outcome. Raised at the end, after every
 * other task finished, when neither `onTaskError` nor `failures: 'emit'` took the failures; or at
 * the first one with `failFast`.
 *
 * @example
 * ```ts
 * import { isCambMergeError } from 'camb-rx';
 * if (isCambMergeError(e)) for (const f of e.failures) console.error(f.taskId, f.error);
 * ```
 */
export class CambMergeError extends CambError {
  /** Always `'CAMB_MERGE_ERROR'` ({@link CambErrorCodes}.merge). */
  readonly code = CambErrorCodes.merge;
  /** Always `'CambMergeError'`; the guards check it. */
  override readonly name = 'CambMergeError';
  /** Every task that could not be followed, in the order they failed; just one with `failFast`. */
  declare readonly failures: readonly TaskFailure[];

  /**
   * @param failures - every task that failed, in order
   */
  constructor(failures: readonly TaskFailure[]) {
    const shown = failures.slice(0, 5).map(({ taskId, error }) => `${taskId} (${error instanceof Error ? error.message : String(error)})`);
    const more = failures.length > 5 ? `, and ${failures.length - 5} more` : '';
    super(`${failures.length} task(s) could not be followed: ${shown.join('; ')}${more}`, { cause: failures[0]?.error });
    this.failures = failures;
  }

  /**
   * The base fields, with each failure as its task id, kind and its error's name and message.
   *
   * @returns an object for `JSON.stringify`
   */
  override toJSON(): Record<string, unknown> {
    const failures = this.failures.map(({ taskId, kind, error }) => ({ taskId, kind, error: error instanceof Error ? { name: error.name, message: error.message } : String(error) }));
    return { ...super.toJSON(), failures };
  }
}
