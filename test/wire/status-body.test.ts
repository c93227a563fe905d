import { describe, expect, it } from 'vitest';
import { parse, safeParse } from 'zod/v4/core';
import { statusBodySchema } from '../../src/wire/status-body.js';

/** The paths of what the schema refuses in `body`; empty when it accepts it. */
const refusedPaths = (body: unknown) => {
  const parsed = safeParse(statusBodySchema, body);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path);
};

describe('statusBodySchema', () => {
  it('needs a string status; every other field may be absent or null', () => {
    expect(refusedPaths({ status: 'PENDING' })).toEqual([]);
    expect(refusedPaths({ status: 'PENDING', run_id: null, exception_reason: null, message: null })).toEqual([]);
    expect(refusedPaths({})).toEqual([['status']]);
    expect(refusedPaths({ status: 5 })).toEqual([['status']]);
    expect(refusedPaths([{ status: 'SUCCESS' }])).toEqual([[]]);
    expect(refusedPaths('SUCCESS')).toEqual([[]]);
  });

  it('takes a run_id only as a safe integer', () => {
    for (const runId of [0, 42, Number.MAX_SAFE_INTEGER]) expect(refusedPaths({ status: 'SUCCESS', run_id: runId })).toEqual([]);
    for (const runId of ['42', 1.5, 2 ** 53, Number.NaN, Infinity, true, {}]) {
      expect(refusedPaths({ status: 'SUCCESS', run_id: runId }), String(runId)).toEqual([['run_id']]);
    }
  });

  it('takes a message as text or a JSON object, nothing else', () => {
    for (const message of ['', 'over 2 h', {}, { detail: 'over 2 h', nested: { a: [1] } }]) {
      expect(refusedPaths({ status: 'ERROR', message })).toEqual([]);
    }
    for (const message of [5, true, ['a'], []]) expect(refusedPaths({ status: 'ERROR', message }), JSON.stringify(message)).toEqual([['message']]);
    expect(refusedPaths({ status: 'ERROR', exception_reason: 7 })).toEqual([['exception_reason']]);
  });

  it('keeps a message object whole and drops the fields it does not know', () => {
    const message = { detail: 'over 2 h', code: 17 };
    expect(parse(statusBodySchema, { status: 'ERROR', message, progress: 40 })).toEqual({ status: 'ERROR', message });
  });

  it('says what was wrong in zod’s words', () => {
    const parsed = safeParse(statusBodySchema, { status: 'SUCCESS', run_id: 'abc' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('Invalid input');
  });
});
