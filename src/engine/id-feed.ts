import type { SchedulerLike, Subscription } from 'rxjs';
import { ChunkedQueue } from '../util/chunked-queue.js';
import { SLICE_BUDGET_MS, sliceClock as clock } from './slice-budget.js';

/** Ids taken between two looks at the clock. */
const IDS_PER_CLOCK_READ = 16;

/** Bounds of the ids one slice may take. */
const MIN_SLICE_IDS = 16;
const MAX_SLICE_IDS = 4096;

/** Weight of the newest slice in the moving average of the loop's time per id. */
const COST_SMOOTHING = 0.25;

/** The most the cap may grow from one slice to the next (×). */
const MAX_CAP_GROWTH = 1.5;

/**
 * The share of a slice's budget its ids may fill at their average cost, answers included: the
 * rest is room for what the engine cannot slice (the transport's own work per answer, collections),
 * so that answers coming back together do not add up to a long block.
 */
const FEED_SHARE = 0.5;

/**
 * Hands incoming ids to `take` in slices, so that however many arrive at once (`from(ids)` hands
 * 100,000 over synchronously) the event loop is never held longer than {@link SLICE_BUDGET_MS}:
 * ids are taken at once while the current slice has time left, and queued otherwise; the queue
 * goes on in a fresh slice on the scheduler's next turn. A slice lasts until its budget is spent
 * or the current synchronous run ends (a microtask closes it). The clock only sees a slice's own
 * work, not what it leaves behind (the answers of the reads it started, which come back together
 * a few turns later), so the number of ids per slice is also capped, and adapted: each slice
 * measures the loop's time from the previous slice's start to its own, keeps a moving average of
 * that time per id, and takes as many ids as fit half the budget at that cost, growing by at most
 * {@link MAX_CAP_GROWTH}× a slice, so that no flood of reads goes out before their answers' cost
 * has been seen. Queueing is O(1) per id and copies nothing ({@link ChunkedQueue}).
 *
 * @internal
 */
export class IdFeed {
  private readonly queue = new ChunkedQueue<string>();
  private sliceStart = 0;
  private sliceOpen = false;
  private sinceClockRead = 0;
  private takenInSlice = 0;
  private sliceCap = 64;
  /** Moving average of the loop's time per id taken, in ms (0: nothing measured yet). */
  private msPerId = 0;
  private resume: Subscription | undefined;

  /**
   * @param scheduler - where the next slice is scheduled
   * @param take - starts watching one id
   */
  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly take: (taskId: string) => void,
  ) {}

  /** Ids queued and not taken yet. */
  get pending(): number {
    return this.queue.size;
  }

  /** Takes `taskId` now if the slice has time left, else queues it for the next slice. */
  push(taskId: string): void {
    if (this.resume || this.pending > 0) {
      this.queue.push(taskId);
      return;
    }
    this.openSlice();
    if (this.sliceSpent()) {
      this.queue.push(taskId);
      this.scheduleNextSlice();
    } else this.take(taskId);
  }

  /** Drops every queued id and the scheduled slice. */
  close(): void {
    this.resume?.unsubscribe();
    this.resume = undefined;
    this.queue.clear();
  }

  private openSlice(): void {
    if (this.sliceOpen) return;
    this.sliceOpen = true;
    this.sliceStart = clock();
    this.sinceClockRead = 0;
    this.takenInSlice = 0;
    queueMicrotask(() => (this.sliceOpen = false));
  }

  private sliceSpent(): boolean {
    if (++this.takenInSlice > this.sliceCap) return true;
    if (++this.sinceClockRead < IDS_PER_CLOCK_READ) return false;
    this.sinceClockRead = 0;
    return clock() - this.sliceStart > SLICE_BUDGET_MS;
  }

  private scheduleNextSlice(): void {
    this.resume = this.scheduler.schedule(() => {
      this.resume = undefined;
      this.adaptCap(clock() - this.sliceStart, this.takenInSlice - 1);
      this.sliceOpen = false;
      this.openSlice();
      this.drain();
    });
  }

  /** Scales the ids per slice to the loop's average time per id, answers included: {@link FEED_SHARE} of the budget. */
  private adaptCap(elapsedMs: number, taken: number): void {
    if (taken <= 0 || elapsedMs <= 0) return;
    const msPerId = elapsedMs / taken;
    this.msPerId = this.msPerId === 0 ? msPerId : this.msPerId + COST_SMOOTHING * (msPerId - this.msPerId);
    const fitting = Math.min(Math.floor((FEED_SHARE * SLICE_BUDGET_MS) / this.msPerId), Math.ceil(this.sliceCap * MAX_CAP_GROWTH));
    this.sliceCap = Math.min(MAX_SLICE_IDS, Math.max(MIN_SLICE_IDS, fitting));
  }

  /** Takes queued ids until the queue is empty or the slice is spent. */
  private drain(): void {
    while (this.pending > 0) {
      if (this.sliceSpent()) return this.scheduleNextSlice();
      this.take(this.queue.shift() as string); // may close the feed: `pending` is then 0
    }
  }
}
