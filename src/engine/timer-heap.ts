import type { SchedulerLike, Subscription } from 'rxjs';
import { SLICE_BUDGET_MS, sliceClock } from './slice-budget.js';

/** Entries fired between two looks at the clock. */
const FIRED_PER_CLOCK_READ = 16;

/** Something the {@link TimerHeap} can hold: its due time and its place in the heap. */
export interface TimerEntry {
  /** When it is due, in the heap's time (the scheduler's, less the heap's `epoch`); stale while it is not in the heap. */
  at: number;
  /** Order among entries due at the same time: the one set first fires first. */
  seq: number;
  /** Its index in the heap, or -1 when it is not in it. */
  heapIndex: number;
}

/**
 * Many timers on one: a binary min-heap of entries ordered by due time (then by the order they
 * were set, as `setTimeout` does), with a single timer armed on the scheduler for the earliest.
 * Setting, moving and removing an entry is O(log n) and allocates nothing; the armed timer is
 * replaced only when an earlier entry arrives. When it fires, every entry due by then that was set
 * before the firing began is popped and handed to `fire`, in order; entries set while firing wait
 * for the next turn, as a `timer(0)` would. Firing stops after {@link SLICE_BUDGET_MS} and goes on
 * in the next turn (the timer is re-armed at once), so thousands of entries due together (or
 * piled up behind a busy loop) never hold the event loop in one block.
 *
 * @internal
 */
export class TimerHeap<E extends TimerEntry> {
  private readonly heap: E[] = [];
  private nextSeq = 0;
  private armed: Subscription | undefined;
  private armedAt = Infinity;

  /**
   * @param scheduler - where time is read and the one timer is armed
   * @param fire - called with each entry that comes due (already out of the heap)
   * @param epoch - the scheduler time the heap's time counts from (entries' `at` are relative to it)
   */
  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly fire: (entry: E) => void,
    private readonly epoch = 0,
  ) {}

  /** Entries in the heap. */
  get size(): number {
    return this.heap.length;
  }

  /** Sets `entry` to come due at `at` (moving it if it is already in the heap); `Infinity` removes it. */
  set(entry: E, at: number): void {
    if (at === Infinity) return this.delete(entry);
    const previous = entry.at;
    entry.at = at;
    entry.seq = this.nextSeq++;
    if (entry.heapIndex < 0) {
      entry.heapIndex = this.heap.length;
      this.heap.push(entry);
      this.up(entry.heapIndex);
    } else if (at < previous) this.up(entry.heapIndex);
    else this.down(entry.heapIndex);
    this.arm();
  }

  /** Takes `entry` out of the heap, if it is in it. */
  delete(entry: E): void {
    const index = entry.heapIndex;
    if (index < 0) return;
    entry.heapIndex = -1;
    const last = this.heap.pop() as E;
    if (index < this.heap.length) {
      this.place(last, index);
      this.up(index);
      this.down(last.heapIndex);
    }
    if (this.heap.length === 0) this.disarm();
  }

  /** Empties the heap and cancels the armed timer. */
  clear(): void {
    for (const entry of this.heap) entry.heapIndex = -1;
    this.heap.length = 0;
    this.disarm();
  }

  /** Arms the one timer for the earliest entry, unless one is armed for that time or earlier. */
  private arm(): void {
    const top = this.heap[0];
    if (!top) return this.disarm();
    if (this.armed && this.armedAt <= top.at) return;
    this.disarm();
    this.armedAt = top.at;
    this.armed = this.scheduler.schedule(() => this.onTimer(), Math.max(0, top.at - (this.scheduler.now() - this.epoch)));
  }

  private disarm(): void {
    this.armed?.unsubscribe();
    this.armed = undefined;
    this.armedAt = Infinity;
  }

  private onTimer(): void {
    this.armed = undefined;
    this.armedAt = Infinity;
    const now = this.scheduler.now() - this.epoch;
    const setBefore = this.nextSeq;
    const sliceStart = sliceClock();
    let fired = 0;
    for (let top = this.heap[0]; top && top.at <= now && top.seq < setBefore; top = this.heap[0]) {
      this.delete(top);
      this.fire(top);
      if (++fired % FIRED_PER_CLOCK_READ === 0 && sliceClock() - sliceStart > SLICE_BUDGET_MS) break;
    }
    this.arm();
  }

  private less(a: E, b: E): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private up(index: number): void {
    const heap = this.heap;
    const entry = heap[index] as E;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as E;
      if (!this.less(entry, parent)) break;
      this.place(parent, index);
      index = parentIndex;
    }
    this.place(entry, index);
  }

  private down(index: number): void {
    const heap = this.heap;
    const length = heap.length;
    const entry = heap[index] as E;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && this.less(heap[right] as E, heap[left] as E) ? right : left;
      const smaller = heap[child] as E;
      if (!this.less(smaller, entry)) break;
      this.place(smaller, index);
      index = child;
    }
    this.place(entry, index);
  }

  /** Puts `entry` at `index` of the heap and records the index on it. */
  private place(entry: E, index: number): void {
    this.heap[index] = entry;
    entry.heapIndex = index;
  }
}
