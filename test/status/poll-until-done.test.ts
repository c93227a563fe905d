import type { Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { pollUntilDone } from '../../src/status/poll-until-done.js';
import { testScheduler } from '../_helpers/marbles.js';

type Value = { readonly done: boolean; readonly n: number };
const pending = (n: number): Value => ({ done: false, n });
const finished = (n: number): Value => ({ done: true, n });

let scheduler: TestScheduler;
beforeEach(() => (scheduler = testScheduler()));

/** Each read is a cold observable answering after `latency` frames; the `doneAt`-th read is done. */
function reads(latency: string, doneAt: number) {
  const calls: number[] = [];
  const read = (poll: number): Observable<Value> => {
    calls.push(poll);
    return scheduler.createColdObservable(`${latency}(a|)`, { a: poll >= doneAt ? finished(poll) : pending(poll) });
  };
  return { read, calls };
}

const timing = (nextDelay: number, timeoutMs = Infinity) => ({
  nextDelay: () => nextDelay,
  timeoutMs,
  timeoutError: (latest: Value | undefined) => Object.assign(new Error('deadline'), { latest }),
  scheduler,
});

describe('pollUntilDone (marbles)', () => {
  it('reads at subscription, then waits nextDelay after each response, and completes with the done value', () => {
    scheduler.run(({ expectObservable }) => {
      const { read } = reads('--', 3);
      // read 2 frames, wait 5, read 2 frames, ...
      expectObservable(pollUntilDone(read, timing(5))).toBe('--a------b------(c|)', { a: pending(1), b: pending(2), c: finished(3) });
    });
  });

  it('never overlaps reads: a slow response pushes the next read back instead of being cancelled', () => {
    scheduler.run(({ expectObservable }) => {
      const { read } = reads('----------', 2); // latency 10 > delay 3
      expectObservable(pollUntilDone(read, timing(3))).toBe('----------a------------(b|)', { a: pending(1), b: finished(2) });
    });
  });

  it('numbers the reads from 1 and passes the previous value', () => {
    scheduler.run(({ flush }) => {
      const seen: [number, number | undefined][] = [];
      const read = (poll: number, previous: Value | undefined) => {
        seen.push([poll, previous?.n]);
        return scheduler.createColdObservable('-(a|)', { a: poll === 3 ? finished(poll) : pending(poll) });
      };
      pollUntilDone(read, timing(1)).subscribe();
      flush();
      expect(seen).toEqual([
        [1, undefined],
        [2, 1],
        [3, 2],
      ]);
    });
  });

  it('fails at the deadline with the latest value, and unsubscribes the read in flight', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const slow = cold('-----(a|)', { a: pending(2) });
      const read = (poll: number) => (poll === 1 ? cold('-(a|)', { a: pending(1) }) : slow);
      const error = Object.assign(new Error('deadline'), { latest: pending(1) });
      expectObservable(pollUntilDone(read, timing(2, 6))).toBe('-a----#', { a: pending(1) }, error);
      expectSubscriptions(slow.subscriptions).toBe('---^--!');
    });
  });

  it('passes a read error through and stops polling', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const read = (poll: number) => (poll === 1 ? cold('-(a|)', { a: pending(1) }) : cold<Value>('--#', undefined, new Error('boom')));
      expectObservable(pollUntilDone(read, timing(1))).toBe('-a--#', { a: pending(1) }, new Error('boom'));
    });
  });

  it('tears down the read in flight and every timer on unsubscribe', () => {
    let timersLeft = -1;
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold('--(a|)', { a: pending(1) });
      const second = cold('----(a|)', { a: pending(2) });
      const read = (poll: number) => (poll === 1 ? first : second);
      scheduler.schedule(() => (timersLeft = scheduler.actions.filter((action) => !action.closed).length), 8);
      expectObservable(pollUntilDone(read, timing(3, 100)), '^------!').toBe('--a----', { a: pending(1) });
      expectSubscriptions(first.subscriptions).toBe('^-!');
      expectSubscriptions(second.subscriptions).toBe('-----^-!');
    });
    expect(timersLeft).toBe(0); // the deadline due at frame 100 was cleared with everything else
  });

  it('is cold: nothing is read before subscription, and each subscription polls on its own', () => {
    scheduler.run(({ expectObservable }) => {
      const { read, calls } = reads('-', 2);
      const stream = pollUntilDone(read, timing(1));
      expect(calls).toEqual([]);
      expectObservable(stream).toBe('-a-(b|)', { a: pending(1), b: finished(2) });
      expectObservable(stream, '--^').toBe('---a-(b|)', { a: pending(1), b: finished(2) });
    });
  });
});
