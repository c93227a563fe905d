import { firstValueFrom, lastValueFrom, tap, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { isCambHttpError, isCambTaskFailedError, throwOnFailure, transcribe$, type TranscribeEvent } from '../../src/index.js';
import type { CambSimulator } from '../../src/testing/index.js';
import { useSimulators } from '../_helpers/simulator-harness.js';
import { slowUploadFetch } from './slow-upload-fetch.js';

const start = useSimulators();
const options = (simulator: CambSimulator) => ({ apiKey: simulator.apiKey, baseUrl: simulator.url, interval: 10, minIntervalMs: 0 });
const request = { language: 1, mediaFile: new Uint8Array([82, 73, 70, 70]), fileName: 'a.wav' };

/** An event as a short string, to compare whole sequences at a glance. */
const describeEvent = (event: TranscribeEvent): string => {
  if (event.type === 'created') return 'created';
  if (event.type === 'status') return `status ${event.status.status}${event.status.done ? ' (done)' : ''}`;
  return `result ${event.runId}`;
};

describe('transcribe$', () => {
  it('emits created, each status, then the result, and completes', async () => {
    const simulator = await start({ createdTask: { pendingPolls: 2 } });
    const events = await lastValueFrom(transcribe$(request, { ...options(simulator), wordLevelTimestamps: true }).pipe(toArray()));
    const taskId = events[0]?.type === 'created' ? events[0].taskId : '';
    const runId = simulator.task(taskId).runId;
    expect(events.map(describeEvent)).toEqual(['created', 'status PENDING', 'status PENDING', 'status SUCCESS (done)', `result ${runId}`]);
    const result = events[4];
    expect(result?.type === 'result' && result.taskId).toBe(taskId);
    expect(result?.type === 'result' && result.result.transcript.every((s) => (s.words?.length ?? 0) > 0)).toBe(true);
    expect(simulator.requests.map((e) => e.route)).toEqual(['create', 'status', 'status', 'status', 'result']);
    expect(simulator.requests[4]?.query).toEqual({ word_level_timestamps: 'true' });
  });

  it('ends a failed task with its done status event and no result', async () => {
    const simulator = await start({ createdTask: { pendingPolls: 1, outcome: { status: 'ERROR', exceptionReason: 'SOURCE_TOO_LONG', message: 'Over 2 h' } } });
    const events = await lastValueFrom(transcribe$(request, options(simulator)).pipe(toArray()));
    expect(events.map(describeEvent)).toEqual(['created', 'status PENDING', 'status ERROR (done)']);
    const last = events[2];
    expect(last?.type === 'status' && last.status).toMatchObject({ exceptionReason: 'SOURCE_TOO_LONG', message: 'Over 2 h' });
    expect(simulator.requests.map((e) => e.route)).toEqual(['create', 'status', 'status']);
  });

  it('with throwOnFailure(), a failed task is a CambTaskFailedError', async () => {
    const simulator = await start({ createdTask: { outcome: { status: 'PAYMENT_REQUIRED', exceptionReason: 'PAYMENT_REQUIRED' } } });
    const seen: string[] = [];
    const events$ = transcribe$(request, options(simulator)).pipe(
      throwOnFailure(),
      tap((event) => seen.push(describeEvent(event))),
    );
    const error = await lastValueFrom(events$).catch((e: unknown) => e);
    expect(isCambTaskFailedError(error)).toBe(true);
    expect(isCambTaskFailedError(error) && [error.status, error.exceptionReason, error.taskId]).toEqual([
      'PAYMENT_REQUIRED',
      'PAYMENT_REQUIRED',
      simulator.tasks[0]?.id,
    ]);
    expect(seen).toEqual(['created']); // the failed status became the error
  });

  it('tolerates a 404 right after create (not visible yet), by default', async () => {
    const notYet = { type: 'http', status: 404, body: { detail: 'Task not found' } } as const;
    const simulator = await start({ createdTask: { faults: { 1: notYet, 2: notYet } } });
    const events = await lastValueFrom(transcribe$(request, options(simulator)).pipe(toArray()));
    expect(events.map((e) => e.type)).toEqual(['created', 'status', 'result']);
    expect(simulator.requests.filter((e) => e.route === 'status').map((e) => e.status)).toEqual([404, 404, 200]);
  });

  it('fails on that 404 when notFoundGraceMs is 0', async () => {
    const simulator = await start({ createdTask: { faults: { 1: { type: 'http', status: 404 } } } });
    const error = await lastValueFrom(transcribe$(request, { ...options(simulator), notFoundGraceMs: 0 })).catch((e: unknown) => e);
    expect(isCambHttpError(error) && error.status).toBe(404);
    expect(simulator.requests.map((e) => e.route)).toEqual(['create', 'status']);
  });

  it('unsubscribing mid-upload aborts the upload and creates nothing', async () => {
    const simulator = await start();
    const slow = { ...options(simulator), fetch: slowUploadFetch(4 * 1024, 20) };
    const subscription = transcribe$({ language: 1, mediaFile: new Uint8Array(128 * 1024) }, slow).subscribe();
    const entry = await simulator.waitForRequest((e) => e.route === 'create');
    subscription.unsubscribe();
    await expect(simulator.waitForClose(entry, 3000)).resolves.toMatchObject({ closedByClient: true });
    expect(simulator.tasks).toHaveLength(0);
  });

  it('aborting signal while polling ends the stream with the reason and stops polling', async () => {
    const simulator = await start({ createdTask: { pendingPolls: 1_000 } });
    const controller = new AbortController();
    const reason = new Error('stop');
    const polled = simulator.waitForRequest((e) => e.route === 'status' && e.status === 200);
    const done = firstValueFrom(transcribe$(request, { ...options(simulator), signal: controller.signal }).pipe(toArray())).catch((e: unknown) => e);
    await polled;
    controller.abort(reason);
    expect(await done).toBe(reason);
    const count = simulator.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(simulator.requests).toHaveLength(count);
  });

  it('refuses a bad request or option at call time', () => {
    const base = { apiKey: 'k' };
    expect(() => transcribe$({ language: 1 }, base)).toThrow(TypeError);
    expect(() => transcribe$({ language: 0, mediaUrl: 'https://x.example/a.mp3' }, base)).toThrow(TypeError);
    expect(() => transcribe$({ language: 1, mediaUrl: 'ftp://x.example/a.mp3' }, base)).toThrow(TypeError);
    expect(() => transcribe$({ language: 1, mediaUrl: 'https://x.example/a.mp3' }, { ...base, wordLevelTimestamps: 1 as never })).toThrow(TypeError);
  });
});
