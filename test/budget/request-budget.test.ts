import { defer, merge, repeat, tap } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { RequestBudget } from '../../src/budget/request-budget.js';
import { CambHttpError } from '../../src/index.js';
import { testScheduler } from '../_helpers/marbles.js';

let scheduler: TestScheduler;
beforeEach(() => (scheduler = testScheduler()));
const budget = (maxConcurrentRequests = Infinity, maxRequestsPerSecond = Infinity) =>
  new RequestBudget({ maxConcurrentRequests, maxRequestsPerSecond }, scheduler);

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

  it('starts at most maxRequestsPerSecond within any one-second window', () => {
    scheduler.run(({ cold }) => {
      const shared = budget(Infinity, 2);
      const requests = Array.from({ length: 5 }, () => cold('(a|)'));
      merge(...requests.map((r) => shared.run(r))).subscribe();
      scheduler.flush();
      expect(requests.map((r) => r.subscriptions.map((s) => s.subscribedFrame))).toEqual([[0], [0], [1000], [1000], [2000]]);
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
      expectSubscriptions(next.subscriptions).toBe('1000ms (^!)'); // the rate window still holds it back
      expect(shared.waiting + shared.running).toBe(2);
    });
    expect(timersLeft).toBe(0);
  });
});
