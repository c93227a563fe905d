import { map, type MonoTypeOperatorFunction } from 'rxjs';
import { CambTaskFailedError } from '../errors/camb-task-failed-error.js';
import type { TranscribeEvent } from '../transcription/transcribe.js';
import { failureStatuses, type TaskStatus } from '../wire/task-status.js';

const statusOf = (value: TaskStatus | TranscribeEvent): TaskStatus | undefined =>
  'type' in value ? (value.type === 'status' ? value.status : undefined) : value;

/**
 * Turns a terminal failure status (ERROR, TIMEOUT, PAYMENT_REQUIRED) into a stream error,
 * `CambTaskFailedError`, carrying the task id, status, exception reason and message. Works on
 * status streams and on `transcribe$` events; everything else passes unchanged.
 *
 * @returns an operator over {@link TaskStatus} or `TranscribeEvent`
 * @example
 * ```ts
 * import { throwOnFailure, transcriptionStatus$ } from 'camb-rx';
 * import { lastValueFrom } from 'rxjs';
 * const done = await lastValueFrom(transcriptionStatus$(id, { apiKey }).pipe(throwOnFailure()));
 * console.log(done.runId); // only reached on SUCCESS
 * ```
 */
export function throwOnFailure<T extends TaskStatus | TranscribeEvent>(): MonoTypeOperatorFunction<T> {
  return map((value) => {
    const status = statusOf(value);
    if (status?.done && failureStatuses.has(status.status)) throw new CambTaskFailedError(status);
    return value;
  });
}
