// A virtual-time RxJS scheduler for many thousands of timers: a binary heap (O(log n) per timer,
// where RxJS's VirtualTimeScheduler sorts its whole queue per timer), driven by `advance`, which
// lets promises (a stub fetch) settle between time steps. Cancelled timers are dropped without a
// time step of their own (every status request schedules a request-timeout timer that is almost
// always cancelled). Shared by the benchmarks and the tests (types in heap-scheduler.d.mts).
import { Subscription } from 'rxjs';
import { setImmediate } from 'node:timers/promises';

export class HeapScheduler {
  heap = [];
  seq = 0;
  time = 0;

  now() {
    return this.time;
  }

  /** Timers scheduled and not cancelled. */
  get pending() {
    return this.heap.filter((entry) => !entry.cancelled).length;
  }

  schedule(work, delay = 0, state) {
    const subscription = new Subscription();
    const action = Object.assign(subscription, {
      schedule: (nextState, nextDelay = 0) => this.schedule(work, nextDelay, nextState),
    });
    const entry = { at: this.time + delay, seq: this.seq++, run: () => work.call(action, state), cancelled: false };
    subscription.add(() => (entry.cancelled = true));
    this.push(entry);
    return subscription;
  }

  /**
   * Runs every timer due up to `untilMs` in time order, letting promises settle after each time
   * step. Bounded by `maxSteps`.
   */
  async advance(untilMs, maxSteps = 10_000_000) {
    await setImmediate();
    for (let steps = 0; steps < maxSteps; steps++) {
      while (this.heap[0]?.cancelled) this.pop();
      const next = this.heap[0];
      if (!next || next.at > untilMs) {
        this.time = Math.max(this.time, untilMs);
        return;
      }
      this.time = next.at;
      while (this.heap[0] && this.heap[0].at === this.time) {
        const entry = this.pop();
        if (!entry.cancelled) entry.run();
      }
      await setImmediate();
      await setImmediate();
    }
    throw new Error(`HeapScheduler: more than ${maxSteps} steps`);
  }

  less(a, b) {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  push(entry) {
    const heap = this.heap;
    heap.push(entry);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.less(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  pop() {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && this.less(heap[left], heap[smallest])) smallest = left;
        if (right < heap.length && this.less(heap[right], heap[smallest])) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
        i = smallest;
      }
    }
    return top;
  }
}
