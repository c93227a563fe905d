import { firstValueFrom, from, lastValueFrom, Subject, tap, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  batchTranscriptionResults,
  isCambHttpError,
  isCambMergeError,
  mergeTasks,
  transcriptionResult$,
  transcriptionResults$,
} from '../../src/index.js';
import type { CambSimulator, SimulatedSegment } from '../../src/testing/index.js';
import { useSimulators } from '../_helpers/simulator-harness.js';

const start = useSimulators();
const connect = (simulator: CambSimulator) => ({ apiKey: simulator.apiKey, baseUrl: simulator.url });
const routeCount = (simulator: CambSimulator, route: string) => simulator.requests.filter((e) => e.route === route).length;

const transcript: SimulatedSegment[] = [
  { start: 0, end: 1.5, text: 'Good morning everyone', speaker: 'SPEAKER_0' },
  { start: 1.5, end: 3, text: 'Hi there', speaker: 'SPEAKER_1' },
];

describe('transcriptionResult$', () => {
  it('reads the {"transcript": [...]} shape and the bare-array shape alike', async () => {
    const simulator = await start({
      tasks: [
        { outcome: { status: 'SUCCESS', runId: 11 }, transcript, resultShape: 'object' },
        { outcome: { status: 'SUCCESS', runId: 12 }, transcript, resultShape: 'array' },
      ],
    });
    const asObject = await firstValueFrom(transcriptionResult$(11, connect(simulator)));
    const asArray = await firstValueFrom(transcriptionResult$(12, connect(simulator)));
    expect(asObject).toEqual({ transcript });
    expect(asArray).toEqual({ transcript });
    expect(simulator.requests.map((e) => [e.path, e.query])).toEqual([
      ['/apis/transcription-result/11', { word_level_timestamps: 'false' }],
      ['/apis/transcription-result/12', { word_level_timestamps: 'false' }],
    ]);
  });

  it('asks for word timings with wordLevelTimestamps, and keeps the words', async () => {
    const simulator = await start({ tasks: [{ outcome: { status: 'SUCCESS', runId: 21 }, transcript, resultShape: 'array' }] });
    const result = await firstValueFrom(transcriptionResult$(21, { ...connect(simulator), wordLevelTimestamps: true }));
    expect(simulator.requests[0]?.query).toEqual({ word_level_timestamps: 'true' });
    expect(result.transcript[0]).toEqual({
      ...transcript[0],
      words: [
        { word: 'Good', start: 0, end: 0.5 },
        { word: 'morning', start: 0.5, end: 1 },
        { word: 'everyone', start: 1, end: 1.5 },
      ],
    });
    expect(result.transcript[1]?.words?.map((w) => w.word)).toEqual(['Hi', 'there']);
  });

  it('fails with CambHttpError 404 for an unknown run id, and checks its options at call time', async () => {
    const simulator = await start();
    const error = await firstValueFrom(transcriptionResult$(999, connect(simulator))).catch((e: unknown) => e);
    expect(isCambHttpError(error) && error.status).toBe(404);
    expect(() => transcriptionResult$(-1, connect(simulator))).toThrow(TypeError);
    expect(() => transcriptionResult$(1, { ...connect(simulator), wordLevelTimestamps: 'yes' as never })).toThrow(TypeError);
  });
});

describe('transcriptionResults$ (bulk)', () => {
  it('fetches many results in one POST, leaving out the run ids CAMB does not answer', async () => {
    const simulator = await start({
      tasks: [
        { outcome: { status: 'SUCCESS', runId: 31 }, transcript },
        { outcome: { status: 'SUCCESS', runId: 32 }, resultShape: 'array', transcript: transcript.slice(1) },
      ],
    });
    const results = await firstValueFrom(transcriptionResults$([31, 32, 33], connect(simulator)));
    expect([...results.keys()].sort()).toEqual([31, 32]);
    expect(results.get(31)).toEqual({ transcript });
    expect(results.get(32)).toEqual({ transcript: transcript.slice(1) });
    expect(simulator.requests.map((e) => [e.method, e.route])).toEqual([['POST', 'results']]);
  });

  it('refuses an empty list at call time', () => {
    expect(() => transcriptionResults$([], { apiKey: 'k' })).toThrow(TypeError);
    expect(() => transcriptionResults$([], { apiKey: 'k' })).toThrow(/got an empty array$/);
  });
});

describe('batchTranscriptionResults after mergeTasks', () => {
  const fast = { interval: 20, minIntervalMs: 0, maxRequestsPerSecond: Infinity, maxConcurrentRequests: Infinity };

  it('groups by count: maxBatchSize run ids per bulk POST, failed tasks ignored, the rest flushed at the end', async () => {
    const ok = ['a', 'b', 'c', 'd', 'e'];
    const simulator = await start({
      tasks: [
        ...ok.map((id, i) => ({ id, pendingPolls: 1, outcome: { status: 'SUCCESS' as const, runId: 41 + i }, transcript })),
        { id: 'bad', pendingPolls: 1, outcome: { status: 'ERROR', exceptionReason: 'PROCESSING_ERROR' } },
      ],
    });
    const options = connect(simulator);
    const transcripts = await lastValueFrom(
      from([...ok, 'bad']).pipe(
        mergeTasks({ ...options, ...fast }),
        batchTranscriptionResults({ ...options, maxBatchSize: 2, maxWaitMs: 60_000 }),
        toArray(),
      ),
    );
    expect(transcripts.map((t) => [t.taskId, t.runId]).sort()).toEqual(ok.map((id, i) => [id, 41 + i]));
    expect(transcripts.every((t) => t.result.transcript.length === 2)).toBe(true);
    // 5 successes in batches of at most 2: 2 + 2 + 1 (the last one flushed when the input completed).
    expect(routeCount(simulator, 'results')).toBe(3);
    expect(routeCount(simulator, 'result')).toBe(0);
  });

  it('groups by time: a batch goes out after maxWaitMs without waiting for more ids', async () => {
    const simulator = await start({
      tasks: ['a', 'b', 'c', 'd'].map((id, i) => ({ id, outcome: { status: 'SUCCESS' as const, runId: 51 + i } })),
    });
    const options = connect(simulator);
    const ids = new Subject<string>();
    const done = lastValueFrom(
      ids.pipe(mergeTasks({ ...options, ...fast }), batchTranscriptionResults({ ...options, maxBatchSize: 50, maxWaitMs: 150 }), toArray()),
    );
    const firstBatch = simulator.waitForRequest((e) => e.route === 'results' && e.status === 200, 3000);
    ids.next('a');
    ids.next('b');
    const first = await firstBatch;
    expect(routeCount(simulator, 'results')).toBe(1); // a and b went out together, though the input is still open
    ids.next('c');
    ids.next('d');
    await simulator.waitForRequest((e) => e.route === 'results' && e !== first && e.status === 200, 3000);
    ids.complete();
    const transcripts = await done;
    expect(routeCount(simulator, 'results')).toBe(2);
    expect(transcripts.map((t) => t.taskId).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('fetches on its own a run id that the bulk answer left out', async () => {
    const simulator = await start({ tasks: [{ id: 'a', outcome: { status: 'SUCCESS', runId: 61 }, transcript }] });
    simulator.injectFault({ type: 'http', status: 200, body: {} }, { path: '/apis/transcription-results' });
    const options = connect(simulator);
    const [one] = await lastValueFrom(
      from(['a']).pipe(mergeTasks({ ...options, ...fast }), batchTranscriptionResults({ ...options, maxWaitMs: 50 }), toArray()),
    );
    expect(one).toEqual({ taskId: 'a', runId: 61, result: { transcript } });
    expect(simulator.requests.map((e) => e.route)).toEqual(['status', 'results', 'result']);
  });

  it('fetches the transcripts of the tasks that succeeded before passing on a merge error', async () => {
    const simulator = await start({ tasks: ['a', 'b'].map((id, i) => ({ id, outcome: { status: 'SUCCESS' as const, runId: 71 + i } })) });
    const options = connect(simulator);
    const seen: string[] = [];
    const error = await lastValueFrom(
      from(['a', 'missing', 'b']).pipe(
        mergeTasks({ ...options, ...fast }),
        batchTranscriptionResults({ ...options, maxWaitMs: 1000 }),
        tap((t) => seen.push(t.taskId)),
      ),
    ).catch((e: unknown) => e);
    expect(isCambMergeError(error) && error.failures.map((f) => f.taskId)).toEqual(['missing']);
    expect(seen.sort()).toEqual(['a', 'b']);
  });
});

