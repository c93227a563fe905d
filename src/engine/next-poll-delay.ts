import type { CadenceTrack } from '../cadence/poll-cadence.js';
import type { ResolvedPollOptions } from '../status/status-options.js';
import type { TaskStatus } from '../wire/task-status.js';
import type { TaskRecord } from './task-record.js';

/**
 * The engine's one use of the `interval` option: the delay before the next read of a task, from
 * the same resolved `nextDelay` the status stream calls, with the same {@link PollContext}. (What
 * a task teaches an adaptive cadence is reported by {@link reportToCadence}.)
 *
 * @param options - the resolved poll options
 * @param poll - reads so far
 * @param elapsedMs - milliseconds since the task's watch began
 * @param status - the latest status, if any was read
 * @returns the delay in ms
 * @internal
 */
export function nextPollDelay(options: ResolvedPollOptions, poll: number, elapsedMs: number, status: TaskStatus | undefined, track?: CadenceTrack): number {
  return options.nextDelay(status ? { poll, elapsedMs, status } : { poll, elapsedMs }, track);
}

/**
 * Tells the `interval` cadence, when it is one (`adaptiveCadence()`), what one task showed, once,
 * when the task ends however it ends: as the status stream's `reportTo` does, a terminal status
 * is "finished after the last non-terminal read and by this one", anything else "still running at
 * the last non-terminal read". Ages are the statuses' `elapsedMs`.
 *
 * @param options - the resolved poll options
 * @param task - the task that ended
 * @internal
 */
export function reportToCadence(options: ResolvedPollOptions, task: TaskRecord): void {
  const { latest, runningAtMs } = task;
  task.cadenceTrack?.end();
  options.cadence?.observe(latest?.done ? { runningAtMs, finishedByMs: latest.elapsedMs } : { runningAtMs });
}

/**
 * The cadence's handle on a task that starts, when the `interval` cadence tracks running tasks
 * (`adaptiveCadence()` does): the engine tells it every non-terminal read, and the end in
 * {@link reportToCadence} (then the observation), as the status stream's `reportTo` does.
 *
 * @param options - the resolved poll options
 * @returns the handle, or `undefined`
 * @internal
 */
export function trackOnCadence(options: ResolvedPollOptions): CadenceTrack | undefined {
  return options.cadence?.track?.();
}
