import { describe, it } from 'vitest';
import { distinctStatus } from '../../src/index.js';
import { testScheduler } from '../_helpers/marbles.js';
import { taskStatus } from '../_helpers/statuses.js';

describe('distinctStatus (marbles)', () => {
  it('passes only changes, per task, and always the terminal status', () => {
    const values = {
      a: taskStatus('PENDING', { poll: 1 }),
      b: taskStatus('PENDING', { poll: 2 }),
      c: taskStatus('RUNNING', { poll: 3 }),
      x: taskStatus('PENDING', { taskId: 't2', poll: 1 }),
      y: taskStatus('PENDING', { taskId: 't2', poll: 2 }),
      d: taskStatus('SUCCESS', { poll: 4 }),
      e: taskStatus('DONE', { taskId: 't2', poll: 3, done: true }),
    };
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('axbycde|', values).pipe(distinctStatus())).toBe('ax--cde|', values);
    });
  });

  it('keeps separate state per subscription', () => {
    const values = { a: taskStatus('PENDING'), b: taskStatus('PENDING', { poll: 2 }) };
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('ab|', values).pipe(distinctStatus());
      expectObservable(source).toBe('a-|', values);
      expectObservable(source).toBe('a-|', values);
    });
  });
});
