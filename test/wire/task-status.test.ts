import { describe, expect, it } from 'vitest';
import { parse } from 'zod/v4/core';
import { statusBodySchema } from '../../src/wire/status-body.js';
import { TaskStatusValues, failureStatuses, isTerminalStatus, toTaskStatus, type TaskStatusValue } from '../../src/wire/task-status.js';

const read = { taskId: 't1', kind: 'dub' as const, poll: 3, elapsedMs: 4200, isTerminal: isTerminalStatus };
/** Parses a body as the status request does, then turns it into a TaskStatus. */
const statusOf = (body: unknown, isTerminal: (s: TaskStatusValue) => boolean = isTerminalStatus) =>
  toTaskStatus(parse(statusBodySchema, body), { ...read, isTerminal });

describe('isTerminalStatus', () => {
  it('ends a task on SUCCESS and the three failures, and on nothing else', () => {
    expect(Object.values(TaskStatusValues).filter(isTerminalStatus)).toEqual(['SUCCESS', 'ERROR', 'TIMEOUT', 'PAYMENT_REQUIRED']);
    for (const status of ['PENDING', 'RUNNING', 'CANCELLED', 'success', '']) expect(isTerminalStatus(status)).toBe(false);
  });

  it('counts as failures exactly the terminal statuses other than SUCCESS', () => {
    expect([...failureStatuses]).toEqual(Object.values(TaskStatusValues).filter((s) => isTerminalStatus(s) && s !== TaskStatusValues.SUCCESS));
  });
});

describe('toTaskStatus', () => {
  it('turns CAMB’s snake_case body into the camelCase TaskStatus, with the read’s task, kind, poll and time', () => {
    expect(statusOf({ status: 'SUCCESS', run_id: 42 })).toEqual({ taskId: 't1', kind: 'dub', status: 'SUCCESS', done: true, runId: 42, poll: 3, elapsedMs: 4200 });
    expect(statusOf({ status: 'ERROR', exception_reason: 'SOURCE_TOO_LONG', message: { detail: 'over 2 h' } })).toEqual({
      taskId: 't1',
      kind: 'dub',
      status: 'ERROR',
      done: true,
      exceptionReason: 'SOURCE_TOO_LONG',
      message: { detail: 'over 2 h' },
      poll: 3,
      elapsedMs: 4200,
    });
  });

  it('leaves out the fields CAMB sends as null, and drops fields it does not know', () => {
    const status = statusOf({ status: 'PENDING', run_id: null, exception_reason: null, message: null, progress: 40 });
    expect(status).toEqual({ taskId: 't1', kind: 'dub', status: 'PENDING', done: false, poll: 3, elapsedMs: 4200 });
    expect(Object.keys(status)).not.toContain('runId');
  });

  it('keeps a run id of 0 and an empty message (null is the only "absent")', () => {
    expect(statusOf({ status: 'SUCCESS', run_id: 0, message: '' })).toMatchObject({ runId: 0, message: '' });
  });

  it('keeps an unknown status as it came, terminal only when isTerminal says so', () => {
    expect(statusOf({ status: 'CANCELLED' })).toMatchObject({ status: 'CANCELLED', done: false });
    expect(statusOf({ status: 'CANCELLED' }, (s) => s === 'CANCELLED')).toMatchObject({ status: 'CANCELLED', done: true });
    expect(statusOf({ status: 'SUCCESS' }, () => false)).toMatchObject({ done: false });
  });
});
