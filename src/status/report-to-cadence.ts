import { defer, finalize, tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { PollCadence } from '../cadence/poll-cadence.js';
import type { TaskStatus } from '../wire/task-status.js';

/**
 * Tells `cadence` what one task's stream saw, once, when the stream ends however it ends: a
 * terminal status means the task finished after the last non-terminal read and by the terminal
 * one (interval-censored); unsubscribing, the deadline or an error leave only "still running at
 * the last non-terminal read" (right-censored). Ages are the statuses' `elapsedMs`.
 *
 * @internal
 */
export function reportTo(cadence: PollCadence): MonoTypeOperatorFunction<TaskStatus> {
  return (source) =>
    defer(() => {
      let runningAtMs = 0;
      let finishedByMs: number | undefined;
      return source.pipe(
        tap((status) => (status.done ? (finishedByMs = status.elapsedMs) : (runningAtMs = status.elapsedMs))),
        finalize(() => cadence.observe(finishedByMs === undefined ? { runningAtMs } : { runningAtMs, finishedByMs })),
      );
    });
}
