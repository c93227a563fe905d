import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { isCambHttpError } from '../errors/guards.js';
import type { RequestGate } from '../http/request-gate.js';
import type { ResolvedRetryOptions } from '../retry/retry-options.js';
import type { ResolvedBudgetOptions } from './budget-options.js';

const WINDOW_MS = 1000;

/** A request waiting in the budget's queue. */
interface Ticket {
  start(): void;
  cancelled: boolean;
}

/**
 * One request budget shared by many streams: at most `maxConcurrentRequests` requests in flight,
 * at most `maxRequestsPerSecond` starting in any one-second window, and a pause that holds every
 * waiting request when a server answers 429 with `Retry-After`. Waiting requests start in arrival
 * order; since a status stream has one request at a time, every task gets its turn (no starvation).
 * Time is read from the scheduler, and at most one wake-up timer is pending at a time.
 *
 * @internal
 */
export class RequestBudget implements RequestGate {
  /** FIFO of waiting requests; `head` is the next one, cancelled tickets are skipped. */
  private queue: Ticket[] = [];
  private head = 0;
  private queued = 0;
  private inFlight = 0;
  /** Ring of the last `maxRequestsPerSecond` start times; `nextSlot` holds the oldest once full. */
  private readonly starts: number[] = [];
  private nextSlot = 0;
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
  ) {}

  /**
   * Runs `request$` when the budget allows: the subscription waits in the queue, then counts as
   * in flight until it ends. A 429 with `Retry-After` pauses the whole budget for that long.
   * Unsubscribing while queued leaves the queue; while running, frees the slot.
   */
  run<T>(request$: Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      const ticket: Ticket = {
        cancelled: false,
        start: () => {
          this.inFlight++;
          let settled = false;
          subscriber.add(() => this.release(settled));
          subscriber.add(
            request$.subscribe({
              next: (value) => subscriber.next(value),
              error: (error: unknown) => {
                settled = true;
                if (isCambHttpError(error) && error.status === 429 && error.retryAfterMs !== undefined) this.pauseFor(Math.min(error.retryAfterMs, this.maxPauseMs));
                subscriber.error(error);
              },
              complete: () => {
                settled = true;
                subscriber.complete();
              },
            }),
          );
        },
      };
      this.enqueue(ticket);
      return () => {
        if (ticket.cancelled) return;
        ticket.cancelled = true;
        this.queued--;
        if (this.queued === 0) this.cancelWakeUp();
      };
    });
  }

  /** Holds every request that has not started yet for `ms` from now (the longest pause wins). */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.scheduler.now() + ms);
    this.drain();
  }

  /** Requests running now. */
  get running(): number {
    return this.inFlight;
  }

  /** Requests waiting for the budget now. */
  get waiting(): number {
    return this.queued;
  }

  private enqueue(ticket: Ticket): void {
    this.queue.push(ticket);
    this.queued++;
    this.drain();
  }

  /**
   * Frees a slot. After an unsubscribe the next request starts on the next tick, not at once: when
   * many streams are torn down together, the ones still queued leave before anything is sent.
   */
  private release(settled: boolean): void {
    this.inFlight--;
    if (settled) this.drain();
    else if (this.queued > 0) this.scheduleWakeUp(this.scheduler.now(), this.scheduler.now());
  }

  /** Starts waiting requests while the budget allows, else sets one timer for when it will. */
  private drain(): void {
    while (this.queued > 0 && this.inFlight < this.limits.maxConcurrentRequests) {
      const now = this.scheduler.now();
      const readyAt = Math.max(this.pausedUntil, this.rateReadyAt());
      if (readyAt > now) return this.scheduleWakeUp(readyAt, now);
      const ticket = this.dequeue();
      this.recordStart(now);
      ticket.start();
    }
    if (this.queued === 0) this.cancelWakeUp();
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

  /** When the sliding window lets one more request start. */
  private rateReadyAt(): number {
    const limit = this.limits.maxRequestsPerSecond;
    if (this.starts.length < limit) return -Infinity;
    return (this.starts[this.nextSlot] ?? -Infinity) + WINDOW_MS;
  }

  private recordStart(now: number): void {
    const limit = this.limits.maxRequestsPerSecond;
    if (limit === Infinity) return;
    this.starts[this.nextSlot] = now;
    this.nextSlot = (this.nextSlot + 1) % limit;
  }

  private scheduleWakeUp(at: number, now: number): void {
    if (this.wakeUp && this.wakeUpAt <= at) return;
    this.cancelWakeUp();
    this.wakeUpAt = at;
    this.wakeUp = this.scheduler.schedule(() => {
      this.wakeUp = undefined;
      this.wakeUpAt = Infinity;
      this.drain();
    }, at - now);
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
