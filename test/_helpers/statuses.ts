import type { TaskStatus } from '../../src/index.js';

/** A TaskStatus for tests; `done` follows the default terminal set unless given. */
export function taskStatus(status: string, overrides: Partial<TaskStatus> = {}): TaskStatus {
  const done = ['SUCCESS', 'ERROR', 'TIMEOUT', 'PAYMENT_REQUIRED'].includes(status);
  return { taskId: 't1', kind: 'transcribe', status, done, poll: 1, elapsedMs: 0, ...overrides };
}
