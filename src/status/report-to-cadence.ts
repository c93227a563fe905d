import { defer, finalize, tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { PollCadence } from '../cadence/poll-cadence.js';
import type { TaskStatus } from '../wire/task-status.js';

/**
 * Tells `cadence` what one task's stream saw, once, when the stream ends however it ends: a
 * terminal status means the task finished after the last non-terminal read and by the terminal
 * one (interval-censored); unsubscribing, the deadline or an error leave only "still running at
 * the last non-terminal read" (right-censored). Ages are the statuses' `elapsedMs`. A cadence
 * that tracks running tasks (`track`) also hears of every non-terminal read, and the end through
 * the task's handle.
 *
 * @internal
 */
export function reportTo(cadence: PollCadence): MonoTypeOperatorFunction<TaskStatus> {
  return (source) =>
    defer(() => {
      let runningAtMs = 0;
      let finishedByMs: number | undefined;
      const track = cadence.track?.();
      return source.pipe(
        tap((status) => {
          if (status.done) finishedByMs = status.elapsedMs;
          else {
            runningAtMs = status.elapsedMs;
            track?.pending(runningAtMs);
          }
        }),
        finalize(() => {
          const observation = finishedByMs === undefined ? { runningAtMs } : { runningAtMs, finishedByMs };
          if (track) track.end(observation);
          else cadence.observe(observation);
        }),
      );
    });
}
