import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { HeapScheduler } from '../../bench/lib/heap-scheduler.mjs';
import { SLICE_BUDGET_MS } from '../../src/engine/slice-budget.js';
import { TimerHeap, type TimerEntry } from '../../src/engine/timer-heap.js';

interface Named extends TimerEntry {
  readonly name: string;
}
const entry = (name: string): Named => ({ name, at: 0, seq: 0, heapIndex: -1 });

/** A heap on a virtual clock, recording what fires when, and how many timers the scheduler holds. */
function setup() {
  const scheduler = new HeapScheduler();
  const fired: [string, number][] = [];
  const heap: TimerHeap<Named> = new TimerHeap<Named>(scheduler, (e) => fired.push([e.name, scheduler.now()]));
  return { scheduler, heap, fired };
}

describe('TimerHeap', () => {
  it('fires entries in time order, and those due together in the order they were set', async () => {
    const { scheduler, heap, fired } = setup();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(entry) as [Named, Named, Named, Named];
    heap.set(c, 300);
    heap.set(a, 100);
    heap.set(d, 300);
    heap.set(b, 100);
    await scheduler.advance(1000);
    expect(fired).toEqual([
      ['a', 100],
      ['b', 100],
      ['c', 300],
      ['d', 300],
    ]);
    expect(heap.size).toBe(0);
    expect(scheduler.pending).toBe(0);
  });

  it('holds one armed timer however many entries it has', async () => {
    const { scheduler, heap } = setup();
    for (let i = 0; i < 1000; i++) heap.set(entry(String(i)), 1000 - i);
    expect(scheduler.pending).toBe(1);
    await scheduler.advance(500);
    expect(heap.size).toBe(500);
    expect(scheduler.pending).toBe(1);
  });

  it('moves and deletes entries, re-arming only for an earlier one', async () => {
    const { scheduler, heap, fired } = setup();
    const a = entry('a');
    const b = entry('b');
    heap.set(a, 100);
    heap.set(b, 200);
    heap.set(a, 300); // later: the armed timer stays, fires empty-handed and re-arms
    heap.delete(b);
    expect(b.heapIndex).toBe(-1);
    heap.set(b, 50);
    await scheduler.advance(1000);
    expect(fired).toEqual([
      ['b', 50],
      ['a', 300],
    ]);
    heap.set(a, Infinity); // Infinity removes
    expect(heap.size).toBe(0);
  });

  it('leaves entries set while firing (even due now) for the next turn, like timer(0)', async () => {
    const scheduler = new HeapScheduler();
    const order: string[] = [];
    const later = entry('later');
    const heap: TimerHeap<Named> = new TimerHeap<Named>(scheduler, (e) => {
      order.push(`${e.name}@${scheduler.now()}`);
      if (e.name === 'first') heap.set(later, scheduler.now());
    });
    heap.set(entry('first'), 10);
    heap.set(entry('second'), 10);
    await scheduler.advance(10);
    expect(order).toEqual(['first@10', 'second@10', 'later@10']);
  });

  it(`fires a pile of due entries in slices of about ${SLICE_BUDGET_MS} ms, yielding between them, in order`, async () => {
    const scheduler = new HeapScheduler();
    const schedule = vi.spyOn(scheduler, 'schedule');
    const fired: string[] = [];
    const heap: TimerHeap<Named> = new TimerHeap<Named>(scheduler, (e) => {
      fired.push(e.name);
      const until = performance.now() + 1;
      while (performance.now() < until); // 1 ms of work per entry
    });
    for (let i = 0; i < 64; i++) heap.set(entry(String(i)), 10);
    await scheduler.advance(10);
    expect(fired).toEqual(Array.from({ length: 64 }, (_, i) => String(i)));
    expect(schedule.mock.calls.length).toBeGreaterThanOrEqual(3); // armed once, then re-armed after each spent slice
    expect(scheduler.now()).toBe(10);
  });

  it('clear() drops every entry and the armed timer', () => {
    const { scheduler, heap } = setup();
    const entries = ['a', 'b', 'c'].map(entry);
    entries.forEach((e, i) => heap.set(e, i * 10));
    heap.clear();
    expect(heap.size).toBe(0);
    expect(scheduler.pending).toBe(0);
    expect(entries.every((e) => e.heapIndex === -1)).toBe(true);
  });

  it('counts its time from its epoch: an entry at 100 fires 100 ms after the epoch', async () => {
    const scheduler = new HeapScheduler();
    await scheduler.advance(5000);
    const fired: number[] = [];
    const heap = new TimerHeap<Named>(scheduler, () => fired.push(scheduler.now()), scheduler.now());
    heap.set(entry('a'), 100);
    await scheduler.advance(6000);
    expect(fired).toEqual([5100]);
  });

  it('fires any sequence of sets, moves and deletes in (time, order set) order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(19), fc.option(fc.nat(1000), { nil: undefined })), { maxLength: 200 }), async (operations) => {
        const { scheduler, heap, fired } = setup();
        const entries = Array.from({ length: 20 }, (_, i) => entry(String(i)));
        const expected = new Map<string, [number, number]>();
        operations.forEach(([index, at], order) => {
          const target = entries[index]!;
          if (at === undefined) {
            heap.delete(target);
            expected.delete(target.name);
          } else {
            heap.set(target, at);
            expected.set(target.name, [at, order]);
          }
        });
        await scheduler.advance(2000);
        const sorted = [...expected].sort(([, x], [, y]) => x[0] - y[0] || x[1] - y[1]).map(([name, [at]]) => [name, at]);
        expect(fired).toEqual(sorted);
        expect(scheduler.pending).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});
