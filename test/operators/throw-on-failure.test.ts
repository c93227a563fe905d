import { describe, expect, it } from 'vitest';
import { CambTaskFailedError, isCambTaskFailedError, throwOnFailure } from '../../src/index.js';
import { testScheduler } from '../_helpers/marbles.js';
import { taskStatus } from '../_helpers/statuses.js';

describe('throwOnFailure (marbles)', () => {
  it('passes PENDING and SUCCESS unchanged', () => {
    const values = { a: taskStatus('PENDING'), b: taskStatus('SUCCESS', { runId: 7 }) };
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('ab|', values).pipe(throwOnFailure())).toBe('ab|', values);
    });
  });

  it.each(['ERROR', 'TIMEOUT', 'PAYMENT_REQUIRED'])('turns a terminal %s into CambTaskFailedError with its details', (status) => {
    const failed = taskStatus(status, { exceptionReason: 'SOURCE_TOO_LONG', message: 'audio is too long' });
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a|', { a: failed }).pipe(throwOnFailure())).toBe('#', undefined, new CambTaskFailedError(failed));
    });
    const error = new CambTaskFailedError(failed);
    expect(isCambTaskFailedError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CAMB_TASK_FAILED', taskId: 't1', status, exceptionReason: 'SOURCE_TOO_LONG', taskMessage: 'audio is too long' });
    expect(error.message).toBe(`Task t1 ended with ${status} (SOURCE_TOO_LONG): audio is too long`);
  });

  it('leaves a non-terminal status with a failure-like name alone', () => {
    const values = { a: taskStatus('ERROR', { done: false }) };
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a|', values).pipe(throwOnFailure())).toBe('a|', values);
    });
  });
});
