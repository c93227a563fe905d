import type { Observable } from 'rxjs';

/**
 * How a request that held a budget slot ended, told to its {@link ReleaseSlot}.
 *
 * @internal
 */
export interface SlotOutcome {
  /** The server answered 429 with this `Retry-After`, in ms: every request still waiting is held that long. */
  readonly retryAfterMs?: number;
  /**
   * The holder was torn down rather than settled: waiting requests start on the next tick, not at
   * once, so a group of streams torn down together leaves the queue before anything more is sent.
   */
  readonly abandoned?: boolean;
}

/**
 * Gives a budget slot back. Call it once the exchange is really over (its response read, or its
 * connection closed after an abort); later calls do nothing.
 *
 * @internal
 */
export type ReleaseSlot = (outcome?: SlotOutcome) => void;

/**
 * What every request of a connection passes through before it is sent: the shared request budget
 * of a client or of a `mergeTasks` subscription.
 *
 * @internal
 */
export interface RequestGate {
  /**
   * Queues `start`, called when the budget lets one more request go, with the {@link ReleaseSlot}
   * that gives its slot back. No observable and no timer per request.
   *
   * @returns cancel: leaves the queue if `start` has not been called yet, else does nothing (the
   *   holder owns the slot until it releases it)
   */
  acquire(start: (release: ReleaseSlot) => void): () => void;
  /** Holds every request that has not started yet for `ms` from now (a 429's `Retry-After`; the longest pause wins). */
  pauseFor(ms: number): void;
  /** Subscribes `request$` when the budget allows, and holds a slot until it ends or is unsubscribed. */
  run<T>(request$: Observable<T>): Observable<T>;
}
