import { map, type MonoTypeOperatorFunction } from 'rxjs';
import { CambTaskFailedError } from '../errors/camb-task-failed-error.js';
import { failureStatuses, type TaskStatus } from '../wire/task-status.js';

/**
 * Turns a terminal failure status (ERROR, TIMEOUT, PAYMENT_REQUIRED) into a stream error,
 * `CambTaskFailedError`, carrying the task id, status, exception reason and message. Every other
 * status passes unchanged.
 *
 * @returns an operator over {@link TaskStatus}
 * @example
 * ```ts
 * import { throwOnFailure, transcriptionStatus$ } from 'camb-rx';
 * import { lastValueFrom } from 'rxjs';
 * const done = await lastValueFrom(transcriptionStatus$(id, { apiKey }).pipe(throwOnFailure()));
 * console.log(done.runId); // only reached on SUCCESS
 * ```
 */
export function throwOnFailure(): MonoTypeOperatorFunction<TaskStatus> {
  return map((status) => {
    if (status.done && failureStatuses.has(status.status)) throw new CambTaskFailedError(status);
    return status;
  });
}
