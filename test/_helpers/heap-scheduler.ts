import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';
import { setImmediate } from 'node:timers/promises';

interface Entry {
  at: number;
  seq: number;
  run: () => void;
  cancelled: boolean;
}

/**
 * A virtual-time scheduler for tests with many thousands of timers: a binary heap (O(log n) per
 * timer, where RxJS's VirtualTimeScheduler sorts its whole queue per timer), driven by `advance`,
 * which lets promises (a stub fetch) settle between time steps.
 */
export class HeapScheduler implements SchedulerLike {
  private heap: Entry[] = [];
  private seq = 0;
  private time = 0;

  now(): number {
    return this.time;
  }

  get pending(): number {
    return this.heap.filter((e) => !e.cancelled).length;
  }

  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    const subscription = new Subscription();
    const action = Object.assign(subscription, {
      schedule: (nextState?: T, nextDelay = 0) => this.schedule(work, nextDelay, nextState),
    }) as SchedulerAction<T>;
    const entry: Entry = { at: this.time + delay, seq: this.seq++, run: () => work.call(action, state), cancelled: false };
    subscription.add(() => (entry.cancelled = true));
    this.push(entry);
    return subscription;
  }

  /** Runs every timer due up to `untilMs` in time order, letting promises settle after each time step. */
  async advance(untilMs: number): Promise<void> {
    await setImmediate();
    for (;;) {
      const next = this.heap[0];
      if (!next || next.at > untilMs) break;
      this.time = next.at;
      while (this.heap[0] && this.heap[0].at === this.time) {
        const entry = this.pop();
        if (!entry.cancelled) entry.run();
      }
      await setImmediate();
      await setImmediate();
    }
    this.time = Math.max(this.time, untilMs);
  }

  private less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): Entry {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && this.less(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && this.less(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }
}
