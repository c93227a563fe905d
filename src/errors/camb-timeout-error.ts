import type { TaskStatus } from '../wire/task-status.js';
import { plural } from '../util/plural.js';
import { CambError } from './camb-error.js';
import { CambErrorCodes } from './error-codes.js';

/**
 * The overall deadline (`timeoutMs`) passed before the task reached a terminal status. The task
 * may still be running at CAMB: `lastStatus` (absent if no status was read) lets the caller resume.
 *
 * @example
 * ```ts
 * import { isCambTimeoutError } from 'camb-rx';
 * if (isCambTimeoutError(error)) saveForLater(error.taskId, error.lastStatus);
 * ```
 */
export class CambTimeoutError extends CambError {
  /** Always `'CAMB_TIMEOUT'` ({@link CambErrorCodes}.timeout). */
  readonly code = CambErrorCodes.timeout;
  /** Always `'CambTimeoutError'`; the guards check it. */
  override readonly name = 'CambTimeoutError';
  /** The task that did not finish in time. */
  declare readonly taskId: string;
  /** The deadline that passed, in ms from subscription (the `timeoutMs` option). */
  declare readonly timeoutMs: number;
  /** The last status read before the deadline; absent when none was read. */
  declare readonly lastStatus?: TaskStatus;

  /**
   * @param details - the task, the deadline and the last status read
   */
  constructor(details: { taskId: string; timeoutMs: number; lastStatus?: TaskStatus | undefined }) {
    const last = details.lastStatus ? `last status ${details.lastStatus.status} after ${plural(details.lastStatus.poll, 'poll')}` : 'no status read';
    super(`Task ${details.taskId} did not finish within ${details.timeoutMs} ms (${last})`);
    this.taskId = details.taskId;
    this.timeoutMs = details.timeoutMs;
    if (details.lastStatus) this.lastStatus = details.lastStatus;
  }
}
