import type { OperatorFunction } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import { batchTranscriptionResults, createCambClient, mergeTasks, type TaskFailure, type TaskStatus, type TaskTranscript } from '../../src/index.js';

const apiKey = 'k';

describe("failures: 'emit' puts TaskFailure values in the stream's type, and only then", () => {
  it('mergeTasks', () => {
    expectTypeOf(mergeTasks({ apiKey })).toEqualTypeOf<OperatorFunction<string, TaskStatus>>();
    expectTypeOf(mergeTasks({ apiKey, failures: 'error' })).toEqualTypeOf<OperatorFunction<string, TaskStatus>>();
    expectTypeOf(mergeTasks({ apiKey, failures: 'emit' })).toEqualTypeOf<OperatorFunction<string, TaskStatus | TaskFailure>>();
    const camb = createCambClient({ apiKey });
    expectTypeOf(camb.mergeTasks()).toEqualTypeOf<OperatorFunction<string, TaskStatus>>();
    expectTypeOf(camb.mergeTasks({ failures: 'emit' })).toEqualTypeOf<OperatorFunction<string, TaskStatus | TaskFailure>>();
  });

  it('batchTranscriptionResults, which then also takes the failures of mergeTasks', () => {
    expectTypeOf(batchTranscriptionResults({ apiKey })).toEqualTypeOf<OperatorFunction<TaskStatus, TaskTranscript>>();
    expectTypeOf(batchTranscriptionResults({ apiKey, failures: 'emit' })).toEqualTypeOf<OperatorFunction<TaskStatus | TaskFailure, TaskTranscript | TaskFailure>>();
    expectTypeOf(createCambClient({ apiKey }).batchTranscriptionResults({ failures: 'emit' })).toEqualTypeOf<
      OperatorFunction<TaskStatus | TaskFailure, TaskTranscript | TaskFailure>
    >();
  });

  it("'error' in value tells a failure from a status", () => {
    const narrow = (value: TaskStatus | TaskFailure) => ('error' in value ? value : undefined);
    expectTypeOf(narrow).returns.toEqualTypeOf<TaskFailure | undefined>();
  });
});
