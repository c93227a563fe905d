import { describe, expect, it } from 'vitest';
import { CambTimeoutError, type TaskStatus } from '../../src/index.js';

const status = (poll: number): TaskStatus => ({ taskId: 't1', kind: 'transcribe', status: 'PENDING', done: false, poll, elapsedMs: 900 });

describe('CambTimeoutError', () => {
  it('counts the polls in its message, one in the singular', () => {
    expect(new CambTimeoutError({ taskId: 't1', timeoutMs: 1000, lastStatus: status(1) }).message).toBe(
      'Task t1 did not finish within 1000 ms (last status PENDING after 1 poll)',
    );
    expect(new CambTimeoutError({ taskId: 't1', timeoutMs: 1000, lastStatus: status(3) }).message).toMatch(/after 3 polls\)$/);
    expect(new CambTimeoutError({ taskId: 't1', timeoutMs: 1000 }).message).toMatch(/\(no status read\)$/);
  });
});
