import { defer, finalize, tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { CadenceObservation, CadenceTrack, PollCadence } from '../cadence/poll-cadence.js';
import type { TaskStatus } from '../wire/task-status.js';

/**
 * Tells `cadence` what one task's stream saw, once, when the stream ends however it ends: a
 * terminal status means the task finished after the last non-terminal read and by the terminal
 * one (interval-censored); unsubscribing, the deadline or an error leave only "still running at
 * the last non-terminal read" (right-censored). Ages are the statuses' `elapsedMs`. When the
 * cadence tracks running tasks, `track` (the task's handle, which the stream made when it started
 * and asks for the task's own delays) also hears of every non-terminal read, and of the end just
 * before the observation.
 *
 * @internal
 */
export function reportTo(cadence: PollCadence, track: CadenceTrack | undefined): MonoTypeOperatorFunction<TaskStatus> {
  return (source) =>
    defer(() => {
      const seen: CadenceObservation = { runningAtMs: 0 };
      return source.pipe(
        tap((status) => (status.done ? (seen.finishedByMs = status.elapsedMs) : ((seen.runningAtMs = status.elapsedMs), track?.pending(status.elapsedMs)))),
        finalize(() => {
          track?.end();
          cadence.observe(seen);
        }),
      );
    });
}
