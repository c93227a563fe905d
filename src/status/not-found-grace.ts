import { isCambHttpError } from '../errors/guards.js';

/**
 * Whether an error means "not visible yet" rather than "gone": a 404 within `notFoundGraceMs` of
 * subscription, which is read again one cadence step later. Shared by the status stream and the
 * engine behind `mergeTasks`.
 *
 * @param error - what the read failed with
 * @param elapsedMs - milliseconds since the task's watch began
 * @param notFoundGraceMs - the `notFoundGraceMs` option
 * @returns true when the read should be tried again
 * @internal
 */
export function isNotVisibleYet(error: unknown, elapsedMs: number, notFoundGraceMs: number): boolean {
  return isCambHttpError(error) && error.status === 404 && elapsedMs < notFoundGraceMs;
}
