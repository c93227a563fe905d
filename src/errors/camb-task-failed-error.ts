import type { TaskStatus } from '../wire/task-status.js';
import { CambError } from './camb-error.js';
import { CambErrorCodes } from './error-codes.js';

/**
 * The task ended in a failure status (ERROR, TIMEOUT, PAYMENT_REQUIRED). Only `throwOnFailure()`
 * raises it: by default a failed task is data, the last value of its status stream.
 *
 * @example
 * ```ts
 * import { isCambTaskFailedError } from 'camb-rx';
 * if (isCambTaskFailedError(error)) console.error(error.status, error.exceptionReason);
 * ```
 */
export class CambTaskFailedError extends CambError {
  /** Always `'CAMB_TASK_FAILED'` ({@link CambErrorCodes}.taskFailed). */
  readonly code = CambErrorCodes.taskFailed;
  /** Always `'CambTaskFailedError'`; the guards check it. */
  override readonly name = 'CambTaskFailedError';
  /** The failed task's id. */
  declare readonly taskId: string;
  /** Its terminal status: `'ERROR'`, `'TIMEOUT'` or `'PAYMENT_REQUIRED'`. */
  declare readonly status: string;
  /** CAMB's `exception_reason`, e.g. `SOURCE_TOO_LONG`; absent when CAMB gave none. */
  declare readonly exceptionReason?: string;
  /** CAMB's `message`, text or an object; absent when CAMB gave none. */
  declare readonly taskMessage?: TaskStatus['message'];
  /** The terminal status as the stream emitted it. */
  declare readonly taskStatus: TaskStatus;

  /**
   * @param taskStatus - the terminal failure status
   */
  constructor(taskStatus: TaskStatus) {
    const reason = taskStatus.exceptionReason ? ` (${taskStatus.exceptionReason})` : '';
    const text = typeof taskStatus.message === 'string' ? `: ${taskStatus.message}` : '';
    super(`Task ${taskStatus.taskId} ended with ${taskStatus.status}${reason}${text}`);
    this.taskId = taskStatus.taskId;
    this.status = taskStatus.status;
    if (taskStatus.exceptionReason !== undefined) this.exceptionReason = taskStatus.exceptionReason;
    if (taskStatus.message !== undefined) this.taskMessage = taskStatus.message;
    this.taskStatus = taskStatus;
  }
}
