/**
 * The shortest wait between two status reads of one task, in ms, unless `minIntervalMs` lowers it:
 * every delay the cadence yields (a number, a backoff step, your function's result) is raised to
 * it, so `interval: 0` cannot become a loop that polls as fast as the server answers.
 *
 * @example
 * ```ts
 * import { MIN_POLL_INTERVAL_MS, transcriptionStatus$ } from 'camb-rx';
 * transcriptionStatus$(taskId, { apiKey, interval: MIN_POLL_INTERVAL_MS }); // as fast as allowed
 * ```
 */
export const MIN_POLL_INTERVAL_MS = 250;

/**
 * Raises every delay of a cadence to `floorMs`.
 *
 * @param nextDelay - the cadence
 * @param floorMs - the shortest delay it may yield
 * @returns the cadence, never below `floorMs`
 * @internal
 */
export function withIntervalFloor<C, T>(nextDelay: (context: C, track?: T) => number, floorMs: number): (context: C, track?: T) => number {
  return (context, track) => Math.max(floorMs, nextDelay(context, track));
}
