import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';

/** A heap-based virtual-time scheduler for many thousands of timers (see heap-scheduler.mjs). */
export declare class HeapScheduler implements SchedulerLike {
  now(): number;
  /** Timers scheduled and not cancelled. */
  readonly pending: number;
  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription;
  /** Runs every timer due up to `untilMs` in time order, letting promises settle after each time step. */
  advance(untilMs: number, maxSteps?: number): Promise<void>;
}
