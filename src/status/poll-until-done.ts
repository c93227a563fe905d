import { EMPTY, defer, expand, merge, switchMap, takeWhile, tap, throwError, timer, type Observable, type SchedulerLike } from 'rxjs';

/** The timing of a poll loop. */
export interface PollLoopTiming<T> {
  /** The delay after a response before the next read. */
  nextDelay: (previous: T) => number;
  /** Overall deadline from subscription, or `Infinity`. */
  timeoutMs: number;
  /** The error the stream fails with at the deadline. */
  timeoutError: (latest: T | undefined) => Error;
  scheduler: SchedulerLike;
}

/**
 * The polling cadence, free of HTTP: reads at once, then after each value waits `nextDelay` and
 * reads again — `timer(delay) → switchMap(read)` chained on the previous response, so reads never
 * overlap — until a value is `done`, which is emitted before completing (`takeWhile(!done, true)`).
 * At `timeoutMs` it fails with `timeoutError(latest)`. Unsubscribing tears down the read and timers.
 *
 * @param read - one read; `poll` is its 1-based number, `previous` the last value
 * @internal
 */
export function pollUntilDone<T extends { readonly done: boolean }>(
  read: (poll: number, previous: T | undefined) => Observable<T>,
  { nextDelay, timeoutMs, timeoutError, scheduler }: PollLoopTiming<T>,
): Observable<T> {
  return defer(() => {
    let latest: T | undefined;
    let poll = 1;
    const readNext = () => read(poll++, latest);

    const polls$ = readNext().pipe(
      expand((value) => (value.done ? EMPTY : timer(nextDelay(value), scheduler).pipe(switchMap(readNext)))),
    );
    const deadline$ = timeoutMs === Infinity ? EMPTY : timer(timeoutMs, scheduler).pipe(switchMap(() => throwError(() => timeoutError(latest))));
    return merge(polls$, deadline$).pipe(
      tap((value) => (latest = value)),
      takeWhile((value) => !value.done, true),
    );
  });
}
