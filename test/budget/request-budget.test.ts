import { defer, merge, repeat, tap, type SchedulerAction, type SchedulerLike } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { pacingOf, resolveBudgetOptions, type BudgetOptions } from '../../src/budget/budget-options.js';
import { ABANDONED_LINGER_MS, RequestBudget } from '../../src/budget/request-budget.js';
import { CambHttpError } from '../../src/index.js';
import { mulberry32 } from '../../src/testing/mulberry32.js';
import { testScheduler } from '../_helpers/marbles.js';

let scheduler: TestScheduler;
beforeEach(() => (scheduler = testScheduler()));
const budget = (maxConcurrentRequests = Infinity, maxRequestsPerSecond = Infinity, more: BudgetOptions = {}) =>
  new RequestBudget(resolveBudgetOptions({ maxConcurrentRequests, maxRequestsPerSecond, ...more }), scheduler);

describe('RequestBudget (marbles)', () => {
  it('keeps at most maxConcurrentRequests in flight, starting the next when one ends', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const shared = budget(2);
      const requests = [cold('---(a|)'), cold('-----(b|)'), cold('-(c|)')];
      expectObservable(merge(...requests.map((r) => shared.run(r)))).toBe('---ac(b|)');
      expectSubscriptions(requests[0]!.subscriptions).toBe('^--!');
      expectSubscriptions(requests[1]!.subscriptions).toBe('^----!');
      expectSubscriptions(requests[2]!.subscriptions).toBe('---^!');
    });
  });

  it('paces starts 1000 / maxRequestsPerSecond apart, and counts each request until 1001 ms after its end', () => {
    scheduler.run(({ cold }) => {
      const shared = budget(Infinity, 2);
      const requests = Array.from({ length: 5 }, () => cold('(a|)'));
      merge(...requests.map((r) => shared.run(r))).subscribe();
      scheduler.flush();
      // 500: paced 500 apart. 1001: two requests ended within the last second, so the third waits
      // until the first stops counting; and so on.
      expect(requests.map((r) => r.subscriptions.map((s) => s.subscribedFrame))).toEqual([[0], [500], [1001], [1501], [2002]]);
    });
  });

  it('a request counts against the rate until a second after it ended, however long it took', () => {
    scheduler.run(({ cold }) => {
      const shared = budget(Infinity, 1);
      const slow = cold('700ms (a|)');
      const next = cold('(a|)');
      merge(shared.run(slow), shared.run(next)).subscribe();
      scheduler.flush();
      // The slow one may have reached the server as late as 700: the next waits until 1701, not 995.
      expect(next.subscriptions.map((s) => s.subscribedFrame)).toEqual([1701]);
    });
  });

  it('burst 2: two start at once, then one per interval, and never more than maxRequestsPerSecond count', () => {
    scheduler.run(({ cold }) => {
      const shared = budget(Infinity, 5, { burst: 2 });
      const requests = Array.from({ length: 6 }, () => cold('(a|)'));
      merge(...requests.map((r) => shared.run(r))).subscribe();
      scheduler.flush();
      expect(requests.map((r) => r.subscriptions.map((s) => s.subscribedFrame))).toEqual([[0], [0], [200], [400], [600], [1001]]);
    });
  });

  it('does not catch up after a quiet spell: at most `burst` start at once', () => {
    scheduler.run(({ cold }) => {
      const shared = budget(Infinity, 4, { burst: 2 }); // 250 ms apart
      const early = cold('(a|)');
      const late = Array.from({ length: 4 }, () => cold('(a|)'));
      shared.run(early).subscribe();
      scheduler.schedule(() => merge(...late.map((r) => shared.run(r))).subscribe(), 3000);
      scheduler.flush();
      expect(late.map((r) => r.subscriptions.map((s) => s.subscribedFrame))).toEqual([[3000], [3000], [3250], [3500]]);
    });
  });

  it('pauses every waiting request for a 429 Retry-After seen by any one of them', () => {
    scheduler.run(({ cold, expectSubscriptions }) => {
      const shared = budget();
      const limited = cold('----------#', undefined, new CambHttpError({ status: 429, method: 'GET', url: 'u', retryAfterMs: 500 }));
      const other = cold('(a|)');
      shared.run(limited).subscribe({ error: () => undefined });
      scheduler.schedule(() => shared.run(other).subscribe(), 20);
      expectSubscriptions(limited.subscriptions).toBe('^---------!');
      expectSubscriptions(other.subscriptions).toBe('510ms (^!)');
    });
  });

  it('is fair: tasks that keep asking take turns instead of one starving the other', () => {
    scheduler.run(({ cold }) => {
      const shared = budget(1);
      const order: string[] = [];
      const task = (name: string) => defer(() => shared.run(cold('-(a|)').pipe(tap(() => order.push(name))))).pipe(repeat(3));
      merge(task('A'), task('B'), task('C')).subscribe();
      scheduler.flush();
      expect(order.join('')).toBe('ABCABCABC');
    });
  });

  it('frees the slot of an unsubscribed request, drops an unsubscribed waiter, and leaves no timer', () => {
    let timersLeft = -1;
    scheduler.run(({ cold, expectSubscriptions }) => {
      const shared = budget(1, 1);
      const running = cold('-----(a|)');
      const waiting = cold('(b|)');
      const next = cold('(c|)');
      const first = shared.run(running).subscribe();
      const second = shared.run(waiting).subscribe();
      scheduler.schedule(() => second.unsubscribe(), 2);
      scheduler.schedule(() => first.unsubscribe(), 3);
      scheduler.schedule(() => shared.run(next).subscribe(), 4);
      scheduler.schedule(() => (timersLeft = scheduler.actions.filter((a) => !a.closed).length), 1500);
      expectSubscriptions(running.subscriptions).toBe('^--!');
      expectSubscriptions(waiting.subscriptions).toBe([]);
      // The abandoned request counts until its linger is over (23) and a second after (1024).
      expectSubscriptions(next.subscriptions).toBe(`${3 + ABANDONED_LINGER_MS + 1001}ms (^!)`);
      expect(shared.waiting + shared.running).toBe(2);
    });
    expect(timersLeft).toBe(0);
  });
});

describe('RequestBudget.acquire (callback level, no observable per request)', () => {
  /** Acquires a slot for `name`, logging its start frame; returns cancel and a way to release. */
  function holder(shared: RequestBudget, name: string, log: string[]) {
    let release: ((outcome?: { retryAfterMs?: number; abandoned?: boolean }) => void) | undefined;
    const cancel = shared.acquire((r) => {
      release = r;
      log.push(`${name}@${scheduler.now()}`);
    });
    return { cancel, release: (outcome?: { retryAfterMs?: number; abandoned?: boolean }) => release!(outcome) };
  }

  it('starts in FIFO order within maxConcurrentRequests, the next one when a slot is released', () => {
    scheduler.run(() => {
      const shared = budget(2);
      const log: string[] = [];
      const [a, b] = [holder(shared, 'a', log), holder(shared, 'b', log), holder(shared, 'c', log), holder(shared, 'd', log)];
      expect(log).toEqual(['a@0', 'b@0']);
      expect({ running: shared.running, waiting: shared.waiting }).toEqual({ running: 2, waiting: 2 });
      scheduler.schedule(() => b!.release(), 5);
      scheduler.schedule(() => a!.release(), 7);
      scheduler.flush();
      expect(log).toEqual(['a@0', 'b@0', 'c@5', 'd@7']);
    });
  });

  it('cancel before start leaves the queue (start is never called); cancel after start does nothing', () => {
    scheduler.run(() => {
      const shared = budget(1);
      const log: string[] = [];
      const a = holder(shared, 'a', log);
      const b = holder(shared, 'b', log);
      b.cancel();
      expect(shared.waiting).toBe(0);
      a.cancel(); // started: the holder still owns its slot
      expect(shared.running).toBe(1);
      holder(shared, 'c', log);
      a.release();
      expect(log).toEqual(['a@0', 'c@0']);
    });
  });

  it('a second release of the same slot is ignored', () => {
    scheduler.run(() => {
      const shared = budget(1);
      const log: string[] = [];
      const a = holder(shared, 'a', log);
      holder(shared, 'b', log);
      holder(shared, 'c', log);
      a.release();
      a.release();
      expect(log).toEqual(['a@0', 'b@0']);
      expect(shared.running).toBe(1);
    });
  });

  it('release with retryAfterMs holds every waiting request for that long (at most maxPauseMs)', () => {
    scheduler.run(() => {
      const shared = new RequestBudget(resolveBudgetOptions({ maxConcurrentRequests: 1, maxRequestsPerSecond: Infinity }), scheduler, 300);
      const log: string[] = [];
      const a = holder(shared, 'a', log);
      const b = holder(shared, 'b', log);
      holder(shared, 'c', log);
      scheduler.schedule(() => a.release({ retryAfterMs: 200 }), 10);
      scheduler.schedule(() => b.release({ retryAfterMs: 5000 }), 250); // capped at 300 ms
      scheduler.flush();
      expect(log).toEqual(['a@0', 'b@210', 'c@550']);
    });
  });

  it('an abandoned release keeps its slot ABANDONED_LINGER_MS longer (the close reaches the server first), and a group torn down together leaves first', () => {
    scheduler.run(() => {
      const shared = budget(1);
      const log: string[] = [];
      const a = holder(shared, 'a', log);
      const b = holder(shared, 'b', log);
      holder(shared, 'c', log);
      scheduler.schedule(() => {
        a.release({ abandoned: true });
        b.cancel(); // torn down in the same synchronous step: never started
      }, 3);
      scheduler.flush();
      expect(log).toEqual(['a@0', `c@${3 + ABANDONED_LINGER_MS}`]);
      expect(shared.running).toBe(1);
    });
  });

  it('a start that throws gives its slot back, and the requests behind it still start', () => {
    scheduler.run(() => {
      const shared = budget(1);
      const log: string[] = [];
      const a = holder(shared, 'a', log);
      shared.acquire(() => {
        throw new Error('bug in start');
      });
      holder(shared, 'c', log);
      expect(() => a.release()).toThrow('bug in start');
      scheduler.flush();
      expect(log).toEqual(['a@0', 'c@0']);
      expect(shared.running).toBe(1);
    });
  });
});

describe('RequestBudget pacing with wake-up timers that fire late (virtual time)', () => {
  /** The test scheduler's clock, but each timer fires `lateMs(n)` after it was due, n = 0, 1, … (a busy event loop). */
  const firingLate = (lateMs: (n: number) => number): SchedulerLike => {
    let n = 0;
    return {
      now: () => scheduler.now(),
      schedule: ((work: (this: SchedulerAction<unknown>, state?: unknown) => void, delay = 0, state?: unknown) =>
        scheduler.schedule(work, delay + lateMs(n++), state)) as SchedulerLike['schedule'],
    };
  };
  /** `count` requests through `shared`, each released `durationMs(i)` after its start; returns [start, end] of each. */
  function runAll(shared: RequestBudget, count: number, durationMs: (i: number) => number): [number, number][] {
    const spans: [number, number][] = [];
    for (let i = 0; i < count; i++) {
      shared.acquire((release) => {
        const span: [number, number] = [scheduler.now(), Infinity];
        spans.push(span);
        scheduler.schedule(() => {
          span[1] = scheduler.now();
          release();
        }, durationMs(i));
      });
    }
    scheduler.flush();
    return spans;
  }
  const limitsOf = (maxConcurrentRequests: number, maxRequestsPerSecond: number) => resolveBudgetOptions({ maxConcurrentRequests, maxRequestsPerSecond });

  it('makes up for a wake-up that fired a little late: the next starts follow sooner, and the average spacing stays 1000 / maxRequestsPerSecond', () => {
    scheduler.run(() => {
      const shared = new RequestBudget(limitsOf(Infinity, 100), firingLate(() => 3)); // 10 ms apart, every timer 3 ms late
      const starts = runAll(shared, 6, () => 0).map(([start]) => start);
      // The first wake-up, due at 10, fires at 13; the next is due at 20, not at 23, and fires at 23.
      expect(starts).toEqual([0, 13, 23, 33, 43, 53]);
    });
  });

  it('reaches rates over 1000 a second, although timers wait whole milliseconds', () => {
    scheduler.run(() => {
      const shared = new RequestBudget(limitsOf(Infinity, 4000), scheduler); // 0.25 ms apart, on time
      const starts = runAll(shared, 9, () => 0).map(([start]) => start);
      // The wake-up for 0.25 fires at 1 (rounded up): it starts the one due at 0.25 and the three after.
      expect(starts).toEqual([0, 1, 1, 1, 1, 2, 2, 2, 2]);
    });
  });

  it('makes up for an overdue wake-up that a release beat to it (a busy loop runs I/O callbacks before overdue timers)', () => {
    scheduler.run(() => {
      const shared = new RequestBudget(limitsOf(Infinity, 100), firingLate(() => 3)); // 10 ms apart, every timer 3 ms late
      const starts = runAll(shared, 4, (i) => (i === 0 ? 12 : 0)).map(([start]) => start);
      // The wake-up due at 10 would fire at 13; the first request's release at 12 starts the second
      // instead, and the third is still due at 20 (firing at 23), not at 22.
      expect(starts).toEqual([0, 12, 23, 33]);
    });
  });

  it('does not make up a wake-up more than catchUpMs late (a starved event loop): it goes on from there, one start at a time', () => {
    scheduler.run(() => {
      const limits = limitsOf(Infinity, 100);
      const { catchUpMs } = pacingOf(limits);
      const shared = new RequestBudget(limits, firingLate(() => catchUpMs + 1));
      const starts = runAll(shared, 4, () => 0).map(([start]) => start);
      expect(starts).toEqual([0, 10 + catchUpMs + 1, 2 * (10 + catchUpMs + 1), 3 * (10 + catchUpMs + 1)]);
    });
  });

  it('with late timers and any durations, no one-second window at the server can see more than maxRequestsPerSecond, and any k + 1 starts span k intervals less the tolerance and catch-up', () => {
    scheduler.run(() => {
      const limits = limitsOf(Infinity, 250); // 4 ms apart: a wake-up up to catchUpMs late lets two start at once
      const { intervalMs, toleranceMs, catchUpMs } = pacingOf(limits);
      const random = mulberry32(11);
      const lateness = Array.from({ length: 2000 }, () => (random() < 0.9 ? Math.floor(random() * 8) : Math.floor(random() * 160)));
      const durations = Array.from({ length: 1000 }, () => Math.floor(random() * 100));
      const spans = runAll(new RequestBudget(limits, firingLate((n) => lateness[n % lateness.length]!)), 1000, (i) => durations[i]!);
      expect(spans.every(([, end]) => end !== Infinity)).toBe(true);
      // A request reaches the server anywhere in [start, end]: the most that can land in one window
      // [w, w + 1000) is the number of spans that reach into it (the worst w is at some span's end).
      const mostInAWindow = Math.max(...spans.map(([, w]) => spans.filter(([start, end]) => start < w + 1000 && end >= w).length));
      expect(mostInAWindow).toBeLessThanOrEqual(250);
      // The count was what held the run back at times (else the check above would prove little).
      expect(mostInAWindow).toBeGreaterThan(200);
      const starts = spans.map(([start]) => start);
      const tooClose = starts.flatMap((at, i) => starts.slice(i + 1).filter((later, k) => later - at < (k + 1) * intervalMs - toleranceMs - catchUpMs));
      expect(tooClose).toEqual([]);
      // The late timers did make the pacing catch up somewhere (two starts at once, with burst 1).
      expect(starts.some((at, i) => at === starts[i - 1])).toBe(true);
    });
  });
});
