import type { SchedulerLike, Subscription } from 'rxjs';
import { ChunkedQueue } from '../util/chunked-queue.js';
import { SLICE_BUDGET_MS, sliceClock } from './slice-budget.js';

/**
 * Handles the answers of reads in slices, so that answers that come back together (the reads of
 * one slice of ids, sent in the same millisecond, are answered in the same turn of the loop) never
 * hold the event loop longer than {@link SLICE_BUDGET_MS} with their parsing and emission: an
 * answer is handled at once while the current slice has time left, and queued otherwise; the queue
 * goes on, in order, in fresh slices on the scheduler's next turns. A slice opens with the first
 * answer while no turn is booked and lasts until the scheduler's next turn, which it books when it
 * opens. Once anything is queued, every later answer queues behind it, so answers are handled in
 * the order they came.
 *
 * @example
 * const answers = new AnswerSlices(asyncScheduler);
 * response.then((text) => answers.handle(() => onBody(task, text)));
 * @internal
 */
export class AnswerSlices {
  private readonly queue = new ChunkedQueue<() => void>();
  private sliceStart = 0;
  private nextTurn: Subscription | undefined;

  /**
   * @param scheduler - where the next turn is booked
   * @param clock - what a slice's time is measured with, in ms (real time, whatever the scheduler)
   */
  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly clock: () => number = sliceClock,
  ) {}

  /** Runs `answer` now if the current slice has time left, else queues it for a later slice. */
  handle(answer: () => void): void {
    if (!this.nextTurn) {
      this.sliceStart = this.clock();
      this.nextTurn = this.scheduler.schedule(() => this.onNextTurn());
    } else if (this.queue.size > 0 || this.clock() - this.sliceStart > SLICE_BUDGET_MS) return this.queue.push(answer);
    answer();
  }

  /** Drops every queued answer and the booked turn. */
  close(): void {
    this.nextTurn?.unsubscribe();
    this.nextTurn = undefined;
    this.queue.clear();
  }

  /** A new turn: the slice ends; queued answers are handled in a fresh one, which books the next turn if they outlast it. */
  private onNextTurn(): void {
    this.nextTurn = undefined;
    if (this.queue.size === 0) return;
    this.sliceStart = this.clock();
    this.nextTurn = this.scheduler.schedule(() => this.onNextTurn());
    while (this.queue.size > 0 && this.clock() - this.sliceStart <= SLICE_BUDGET_MS) (this.queue.shift() as () => void)();
  }
}
