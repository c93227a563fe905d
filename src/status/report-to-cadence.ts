import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
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
    new Observable<TaskStatus>((subscriber) => {
      let runningAtMs = 0;
      let finishedByMs: number | undefined;
      const subscription = source.subscribe({
        next: (status) => {
          if (status.done) finishedByMs = status.elapsedMs;
          else runningAtMs = status.elapsedMs;
          subscriber.next(status);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        subscription.unsubscribe();
        cadence.observe(finishedByMs === undefined ? { runningAtMs } : { runningAtMs, finishedByMs });
      };
    });
}
