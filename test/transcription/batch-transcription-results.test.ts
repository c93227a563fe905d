import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  batchTranscriptionResults,
  isCambHttpError,
  isCambSchemaError,
  isCambTaskFailedError,
  mergeTasks,
  type TaskFailure,
  type TaskStatus,
  type TaskTranscript,
} from '../../src/index.js';
import type { CambSimulator, SimulatedSegment } from '../../src/testing/index.js';
import { useSimulators } from '../_helpers/simulator-harness.js';

const start = useSimulators();
const connect = (simulator: CambSimulator) => ({ apiKey: simulator.apiKey, baseUrl: simulator.url });
const fast = { interval: 20, minIntervalMs: 0, maxRequestsPerSecond: Infinity, maxConcurrentRequests: Infinity };
const transcript: SimulatedSegment[] = [{ start: 0, end: 1.5, text: 'Good morning', speaker: 'SPEAKER_0' }];

/** Each value as [taskId, what it is], sorted by task id. */
const outcomes = (values: (TaskTranscript | TaskFailure)[]) =>
  values
    .map((v) => [v.taskId, 'error' in v ? (v.error as Error).name : `run ${v.runId}`])
    .sort(([a], [b]) => String(a).localeCompare(String(b)));

const status = (taskId: string, fields: Partial<TaskStatus>): TaskStatus => ({ taskId, kind: 'transcribe', status: 'SUCCESS', done: true, poll: 1, elapsedMs: 0, ...fields });

describe("batchTranscriptionResults with failures: 'emit', over real sockets", () => {
  it('gives every task that ended exactly one value: its transcript, or why it has none', async () => {
    const simulator = await start({
      tasks: [
        { id: 'a', pendingPolls: 1, outcome: { status: 'SUCCESS', runId: 41 }, transcript },
        { id: 'b', outcome: { status: 'SUCCESS', runId: 42 }, transcript },
        { id: 'bad', pendingPolls: 1, outcome: { status: 'ERROR', exceptionReason: 'PROCESSING_ERROR' } },
        { id: 'broke', outcome: { status: 'PAYMENT_REQUIRED' } },
      ],
    });
    const options = connect(simulator);
    const values = await lastValueFrom(
      from(['a', 'b', 'bad', 'broke', 'missing']).pipe(
        mergeTasks({ ...options, ...fast, failures: 'emit' }),
        batchTranscriptionResults({ ...options, maxWaitMs: 50, failures: 'emit' }),
        toArray(),
      ),
    );
    expect(outcomes(values)).toEqual([
      ['a', 'run 41'],
      ['b', 'run 42'],
      ['bad', 'CambTaskFailedError'],
      ['broke', 'CambTaskFailedError'],
      ['missing', 'CambHttpError'],
    ]);
    const bad = values.find((v) => v.taskId === 'bad');
    expect(bad && 'error' in bad && isCambTaskFailedError(bad.error) && bad.error.exceptionReason).toBe('PROCESSING_ERROR');
  });

  it('makes a failed transcript request a failure of each task in it, and the stream goes on', async () => {
    const simulator = await start({
      tasks: [
        { id: 'a', outcome: { status: 'SUCCESS', runId: 51 }, transcript },
        { id: 'b', outcome: { status: 'SUCCESS', runId: 52 }, transcript },
      ],
    });
    simulator.injectFault({ type: 'http', status: 422, body: { detail: 'no' } }, { path: '/apis/transcription-results' });
    const options = connect(simulator);
    const values = await lastValueFrom(
      from(['a', 'b']).pipe(
        mergeTasks({ ...options, ...fast }),
        batchTranscriptionResults({ ...options, maxBatchSize: 2, maxWaitMs: 60_000, failures: 'emit' }), // one request for both
        toArray(),
      ),
    );
    expect(outcomes(values)).toEqual([
      ['a', 'CambHttpError'],
      ['b', 'CambHttpError'],
    ]);
    expect(values.every((v) => 'error' in v && isCambHttpError(v.error) && v.error.status === 422)).toBe(true);
  });
});

describe('batchTranscriptionResults: what it drops, and what it emits instead', () => {
  const options = { apiKey: 'k', baseUrl: 'https://client.camb.ai/apis', fetch: () => Promise.reject(new Error('no request is expected')) };
  const input = [
    status('pending', { status: 'PENDING', done: false }),
    status('failed', { status: 'ERROR', exceptionReason: 'BAD_AUDIO' }),
    status('no-run', { status: 'SUCCESS' }),
    status('custom', { status: 'CANCELLED' }),
  ];

  it("by default drops every status that is not a SUCCESS with a run id, sending nothing", async () => {
    expect(await lastValueFrom(from(input).pipe(batchTranscriptionResults(options), toArray()))).toEqual([]);
  });

  it("with failures: 'emit', makes each ended task a failure value, even from a synchronous input; PENDING stays dropped", async () => {
    const passedThrough: TaskFailure = { taskId: 'upstream', kind: 'transcribe', error: new Error('from mergeTasks') };
    const values = await lastValueFrom(from([...input, passedThrough]).pipe(batchTranscriptionResults({ ...options, failures: 'emit' }), toArray()));
    expect(outcomes(values)).toEqual([
      ['custom', 'CambTaskFailedError'],
      ['failed', 'CambTaskFailedError'],
      ['no-run', 'CambSchemaError'],
      ['upstream', 'Error'],
    ]);
    expect(values).toContain(passedThrough);
    const noRun = values.find((v) => v.taskId === 'no-run');
    expect(noRun && 'error' in noRun && isCambSchemaError(noRun.error) && noRun.error.message).toMatch(/without run_id/);
  });

  it('refuses an unknown failures mode at call time', () => {
    expect(() => batchTranscriptionResults({ ...options, failures: 'log' as never })).toThrow(/option `failures` must be 'error' or 'emit', got "log"/);
  });
});
