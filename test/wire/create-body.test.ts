import { describe, expect, it } from 'vitest';
import { createBodySchema } from '../../src/wire/transcription-result.js';

/** The paths of what the schema refuses in `body`; empty when it accepts it. */
const refusedPaths = (body: unknown) => {
  const parsed = createBodySchema.safeParse(body);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path);
};

describe('createBodySchema (the body of POST /transcribe)', () => {
  it('takes a task_id as a string or a safe integer, and keeps it as it came', () => {
    expect(createBodySchema.parse({ task_id: 'abc-1', extra: true })).toEqual({ task_id: 'abc-1' });
    expect(createBodySchema.parse({ task_id: 42 })).toEqual({ task_id: 42 });
    expect(refusedPaths({ task_id: '' })).toEqual([]);
    expect(refusedPaths({ task_id: 0 })).toEqual([]);
  });

  it('refuses any other task_id, or none, at the path task_id', () => {
    for (const taskId of [1.5, 2 ** 53, Number.NaN, null, true, {}, ['a'], undefined]) {
      expect(refusedPaths({ task_id: taskId }), String(taskId)).toEqual([['task_id']]);
    }
    expect(refusedPaths({})).toEqual([['task_id']]);
    expect(refusedPaths([])).toEqual([[]]);
  });
});
