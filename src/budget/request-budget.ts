import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { isCambHttpError } from '../errors/guards.js';
import type { ReleaseSlot, RequestGate, SlotOutcome } from '../http/request-gate.js';
import { ABANDONED } from '../http/send-request.js';
import type { ResolvedRetryOptions } from '../retry/retry-options.js';
import { pacingOf, type ResolvedBudgetOptions } from './budget-options.js';

/**
 * How long the slot of an abandoned request stays taken after its release: the time for the
 * closing of its connection to reach the server and be noticed there, so that the server never
 * counts the request that takes the slot over while it still counts the abandoned one. (A server
 * notices a close an event-loop turn or two after it arrives; without the linger, the simulator
 * counted 9 in flight for a budget of 8 in test/integration/budget-sockets.test.ts, and with 20 ms
 * it counted 11 once on a machine whose event loop was held up by other processes.)
 *
 * @internal
 */
export const ABANDONED_LINGER_MS = 50;

/** A request waiting in the budget's queue; `cancelled` once it left the queue (started or cancelled). */
interface Ticket {
  readonly start: (release: ReleaseSlot) => void;
  cancelled: boolean;
}

/**
 * How long a request still counts against `maxRequestsPerSecond` after it ended: one second, and
 * one millisecond more for the granularity of `Date.now()`.
 */
const COUNTED_AFTER_END_MS = 1001;

/**
 * One request budget shared by many streams: at most `maxConcurrentRequests` requests in flight,
 * at most `maxRequestsPerSecond` arriving at the server in any one-second window, starts paced
 * evenly (a GCRA, see {@link pacingOf}), and a pause that holds every waiting request when a
 * server answers 429 with `Retry-After`.
 *
 * Why the rate holds at the server, whatever the latency: a request counts from its start until
 * one second after it ended (its response read, or its aborted exchange over), and a new one
 * starts only while fewer than `maxRequestsPerSecond` count. A request arrives at the server
 * between its start and its end. Suppose a one-second window at the server saw `R + 1` arrivals,
 * and let `t` be the start of the last of them to start: it arrived at or after `t`, so the window
 * began after `t − 1000`, and each of the other `R` arrived in the window, so ended after
 * `t − 1000`. All `R` counted at `t`, and the last one could not have started.
 *
 * The pacing only ever holds back a start that the count would let go, never the other way round,
 * so the bound above does not depend on it: the pacing may make up for a wake-up timer that fired
 * late (see {@link pacingOf}) without the server ever seeing more than `R` in a second.
 *
 * Waiting requests start in arrival order; since a status stream has one request at a time, every
 * task gets its turn (no starvation). Time is read from the scheduler, and at most one wake-up
 * timer is pending at a time.
 *
 * Two ways in: {@link RequestBudget.acquire}, a callback API that allocates no observable (for
 * schedulers that drive many thousands of tasks), and {@link RequestBudget.run}, built on it.
 *
 * @internal
 */
export class RequestBudget implements RequestGate {
  /** FIFO of waiting requests; `head` is the next one, cancelled tickets are skipped. */
  private queue: Ticket[] = [];
  private head = 0;
  private queued = 0;
  private inFlight = 0;
  /** When the slots of abandoned requests are free again, in release order (so ascending). */
  private lingering: number[] = [];
  /** When requests ended in the last {@link COUNTED_AFTER_END_MS}, oldest first from `endsHead` (only with a rate limit). */
  private ends: number[] = [];
  private endsHead = 0;
  /** GCRA: the spacing of starts, how far ahead of it a burst may run, how far back a late wake-up is credited, and the theoretical time of the next start. */
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private readonly catchUpMs: number;
  private theoreticalStart = -Infinity;
  private pausedUntil = -Infinity;
  private wakeUp: Subscription | undefined;
  private wakeUpAt = Infinity;

  /**
   * @param limits - the budget
   * @param scheduler - where time is read and wake-ups are scheduled
   * @param maxPauseMs - the longest pause a `Retry-After` may set: a task refuses to wait longer
   *   (`maxRetryAfterMs`), so its siblings are not held longer either
   */
  constructor(
    private readonly limits: ResolvedBudgetOptions,
    private readonly scheduler: SchedulerLike,
    private readonly maxPauseMs = 60_000,
  ) {
    ({ intervalMs: this.intervalMs, toleranceMs: this.toleranceMs, catchUpMs: this.catchUpMs } = pacingOf(limits));
  }

  /**
   * Queues a request: `start` is called (synchronously from here or later from a release or the
   * wake-up timer) when the budget lets it go, and from then on the request holds a slot until it
   * calls `release`. Call `release` once the exchange is really over: after the response was read,
   * or, for an abandoned request (timed out, torn down), once its aborted fetch has settled, with
   * `{ abandoned: true }`: its slot then stays taken {@link ABANDONED_LINGER_MS} longer, so that the
   * server has seen the close before another request takes the slot over. Pass `{ retryAfterMs }`
   * after a 429 with `Retry-After` (unless {@link RequestBudget.pauseFor} was already called at its
   * headers): every waiting request is held that long (at most `maxPauseMs`). `start` must not
   * throw; if it does, its slot is freed and the error is rethrown.
   *
   * @param start - starts the request; receives the release of its slot (later calls are ignored)
   * @returns cancel: leaves the queue when `start` has not been called yet (nothing is sent), and
   *   does nothing afterwards (the holder owns the slot until it releases it)
   * @example
   * ```ts
   * const cancel = budget.acquire((release) => {
   *   send(request).then(
   *     () => release(),
   *     (error) => release(error.status === 429 ? { retryAfterMs: error.retryAfterMs } : undefined),
   *   );
   * });
   * ```
   */
  acquire(start: (release: ReleaseSlot) => void): () => void {
    const ticket: Ticket = { start, cancelled: false };
    this.queue.push(ticket);
    this.queued++;
    this.drain();
    return () => {
      if (ticket.cancelled) return;
      ticket.cancelled = true;
      this.queued--;
      if (this.queued === 0) this.cancelWakeUp();
    };
  }

  /**
   * Runs `request$` when the budget allows: the subscription waits in the queue, then counts as
   * in flight until it ends. A 429 with `Retry-After` pauses the whole budget for that long.
   * Unsubscribing while queued leaves the queue; while running, releases the slot as abandoned
   * (free again after {@link ABANDONED_LINGER_MS}, so streams torn down together leave the queue
   * before anything more is sent).
   */
  run<T>(request$: Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) =>
      this.acquire((release) => {
        subscriber.add(() => release(ABANDONED)); // after a settled release, ignored
        subscriber.add(
          request$.subscribe({
            next: (value) => subscriber.next(value),
            error: (error: unknown) => {
              release(isCambHttpError(error) && error.status === 429 && error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : undefined);
              subscriber.error(error);
            },
            complete: () => {
              release();
              subscriber.complete();
            },
          }),
        );
      }),
    );
  }

  /**
   * Holds every request that has not started yet for `ms` from now, at most `maxPauseMs` (the
   * longest pause wins). Requests already started go on.
   */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.scheduler.now() + Math.min(ms, this.maxPauseMs));
    this.drain();
  }

  /** Requests running now, counting abandoned ones until their slot is free again. */
  get running(): number {
    this.freeLingering(this.scheduler.now());
    return this.inFlight;
  }

  /** Requests waiting for the budget now. */
  get waiting(): number {
    return this.queued;
  }

  /** The release of one started request: frees its slot once, and tells the budget how it ended. */
  private releaseOf(): ReleaseSlot {
    let held = true;
    return (outcome?: SlotOutcome) => {
      if (!held) return;
      held = false;
      const now = this.scheduler.now();
      this.freeLingering(now); // ends are recorded in time order
      if (outcome?.retryAfterMs !== undefined) this.pausedUntil = Math.max(this.pausedUntil, now + Math.min(outcome.retryAfterMs, this.maxPauseMs));
      if (outcome?.abandoned === true) this.lingering.push(now + ABANDONED_LINGER_MS);
      else this.ended(now);
      this.drain();
    };
  }

  /** Frees the slots of abandoned requests whose linger is over. */
  private freeLingering(now: number): void {
    let over = 0;
    while (over < this.lingering.length && (this.lingering[over] as number) <= now) over++;
    if (over === 0) return;
    for (let i = 0; i < over; i++) this.ended(this.lingering[i] as number);
    this.lingering = this.lingering.slice(over);
  }

  /** A request's slot is free: it still counts against the rate until one second after `at`. */
  private ended(at: number): void {
    this.inFlight--;
    if (this.limits.maxRequestsPerSecond !== Infinity) this.ends.push(at);
  }

  /**
   * Starts waiting requests while the budget allows, else sets one timer for when it will.
   *
   * @param firedFor - when the wake-up timer that calls it was due (it may fire late)
   */
  private drain(firedFor = Infinity): void {
    // The wake-up this drain may be late for: the one that fired, or one still armed (a release
    // came first, as a busy event loop runs I/O callbacks before an overdue timer).
    const dueAt = Math.min(firedFor, this.wakeUp ? this.wakeUpAt : Infinity);
    if (this.lingering.length > 0) this.freeLingering(this.scheduler.now());
    while (this.queued > 0) {
      const now = this.scheduler.now();
      if (this.inFlight >= this.limits.maxConcurrentRequests) {
        const freeAt = this.lingering[0];
        return freeAt === undefined ? undefined : this.scheduleWakeUp(freeAt, now);
      }
      const readyAt = Math.max(this.pausedUntil, this.rateReadyAt(now));
      if (readyAt === Infinity) return; // every counted request is in flight: its release drains
      if (readyAt > now) return this.scheduleWakeUp(readyAt, now);
      const ticket = this.dequeue();
      this.recordStart(now, dueAt);
      this.inFlight++;
      const release = this.releaseOf();
      try {
        ticket.start(release);
      } catch (error) {
        release(); // nothing was sent: the slot is free at once
        throw error;
      }
    }
    this.cancelWakeUp();
  }

  /** Takes the next live ticket (the caller checked there is one), compacting the array now and then. */
  private dequeue(): Ticket {
    let ticket: Ticket | undefined;
    do ticket = this.queue[this.head++];
    while (!ticket || ticket.cancelled);
    ticket.cancelled = true; // taken: a later unsubscribe must not count it as queued
    this.queued--;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return ticket;
  }

  /**
   * When the rate lets one more request start: the pacing's time, and, while `maxRequestsPerSecond`
   * requests count (in flight, or ended within the last second), when the oldest stops counting
   * (`Infinity` when all of them are in flight: a release drains).
   */
  private rateReadyAt(now: number): number {
    const paced = this.theoreticalStart - this.toleranceMs;
    const limit = this.limits.maxRequestsPerSecond;
    if (limit === Infinity) return paced;
    while (this.endsHead < this.ends.length && (this.ends[this.endsHead] as number) + COUNTED_AFTER_END_MS <= now) this.endsHead++;
    if (this.endsHead > 1024 && this.endsHead * 2 > this.ends.length) {
      this.ends = this.ends.slice(this.endsHead);
      this.endsHead = 0;
    }
    if (this.inFlight + this.ends.length - this.endsHead < limit) return paced;
    // The oldest to stop counting: an ended request, else an abandoned one once its linger is over.
    const oldest = this.ends[this.endsHead] ?? this.lingering[0];
    return oldest === undefined ? Infinity : Math.max(paced, oldest + COUNTED_AFTER_END_MS);
  }

  /**
   * Moves the theoretical next start one interval on from where it was, or from now if later (a
   * quiet spell is not made up), but from `dueAt` if this start is at most `catchUpMs` late for a
   * wake-up due then: that lateness is made up by the next starts.
   */
  private recordStart(now: number, dueAt: number): void {
    if (this.intervalMs === 0) return;
    const from = dueAt < now && now - dueAt <= this.catchUpMs ? dueAt : now;
    this.theoreticalStart = Math.max(this.theoreticalStart, from) + this.intervalMs;
  }

  private scheduleWakeUp(at: number, now: number): void {
    if (this.wakeUp && this.wakeUpAt <= at) return;
    this.cancelWakeUp();
    this.wakeUpAt = at;
    // Rounded up: a timer for a fraction of a millisecond fires early, and then once more.
    this.wakeUp = this.scheduler.schedule(() => {
      this.wakeUp = undefined;
      this.wakeUpAt = Infinity;
      this.drain(at);
    }, Math.ceil(at - now));
  }

  private cancelWakeUp(): void {
    this.wakeUp?.unsubscribe();
    this.wakeUp = undefined;
    this.wakeUpAt = Infinity;
  }
}

/**
 * The longest budget pause for a connection: its `maxRetryAfterMs` (the default one when retries
 * are off).
 *
 * @internal
 */
export const maxPauseOf = (connection: { readonly retry: ResolvedRetryOptions | false }): number | undefined =>
  connection.retry ? connection.retry.maxRetryAfterMs : undefined;
