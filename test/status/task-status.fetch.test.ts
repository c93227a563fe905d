import { inspect } from 'node:util';
import { lastValueFrom, type Observable } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CambSchemaError,
  CambTransportError,
  taskStatus$,
  transcriptionStatus$,
  type PollOptions,
  type TaskStatus,
} from '../../src/index.js';
import { httpAnswer, stubFetch, type StubAnswer } from '../_helpers/stub-fetch.js';

const apiKey = 'secret-key-123';
const baseUrl = 'https://client.camb.ai/apis';

/** Subscribes and records values, the error and completion. */
function record(stream: Observable<TaskStatus>) {
  const log = { values: [] as TaskStatus[], error: undefined as unknown, complete: false };
  const subscription = stream.subscribe({ next: (v) => log.values.push(v), error: (e) => (log.error = e), complete: () => (log.complete = true) });
  return Object.assign(log, { subscription });
}

function watch(answers: StubAnswer[], options: Partial<PollOptions> = {}) {
  const fetch = stubFetch(...answers);
  const log = record(transcriptionStatus$('task-1', { apiKey, baseUrl, fetch, interval: 1000, retry: false, ...options }));
  return { fetch, log };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  expect(vi.getTimerCount()).toBe(0); // every test leaves no timer behind
  vi.useRealTimers();
});

// The cases that are the same for every path (deadline, fail-fast statuses, schema errors,
// unsubscribe, signal, …) are in test/conformance/status-paths.test.ts, which runs them against
// this stream and the engine; these are the ones particular to the single-task stream.
describe('transcriptionStatus$ over a stub fetch, in fake time', () => {
  it('reads at subscription, then one cadence step after each response, until SUCCESS', async () => {
    const { fetch, log } = watch([{ status: 'PENDING' }, { status: 'PENDING' }, { status: 'SUCCESS', run_id: 42 }]);
    expect(fetch.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(fetch.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(log.complete).toBe(true);
    expect(log.values.map((s) => [s.status, s.poll, s.elapsedMs, s.done])).toEqual([
      ['PENDING', 1, 0, false],
      ['PENDING', 2, 1000, false],
      ['SUCCESS', 3, 2000, true],
    ]);
    expect(log.values[2]).toEqual({ taskId: 'task-1', kind: 'transcribe', status: 'SUCCESS', done: true, runId: 42, poll: 3, elapsedMs: 2000 });
  });

  it('sends GET with the key header to the encoded task path', async () => {
    const fetch = stubFetch({ status: 'SUCCESS', run_id: 1 });
    await lastValueFrom(taskStatus$('dub', 'a?b#c%d', { apiKey, baseUrl, fetch }));
    expect(fetch.calls[0]?.url).toBe(`${baseUrl}/dub/a%3Fb%23c%25d`);
    expect(fetch.calls[0]?.init).toMatchObject({ method: 'GET', headers: { 'x-api-key': apiKey, accept: 'application/json' } });
  });

  it('maps snake_case to camelCase, drops nulls and ignores unknown fields', async () => {
    const body = { status: 'ERROR', run_id: null, exception_reason: 'SOURCE_TOO_LONG', message: { hint: 'split it' }, extra: [1, 2] };
    const { log } = watch([body]);
    await vi.advanceTimersByTimeAsync(0);
    expect(log.values).toEqual([
      { taskId: 'task-1', kind: 'transcribe', status: 'ERROR', done: true, exceptionReason: 'SOURCE_TOO_LONG', message: { hint: 'split it' }, poll: 1, elapsedMs: 0 },
    ]);
    expect(log.complete).toBe(true);
  });

  it('keeps an unknown status as it came and keeps polling; isTerminal can end on it', async () => {
    const first = watch([{ status: 'RUNNING' }, { status: 'SUCCESS', run_id: 1 }]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(first.log.values.map((s) => [s.status, s.done])).toEqual([
      ['RUNNING', false],
      ['SUCCESS', true],
    ]);
    const custom = watch([{ status: 'CANCELLED' }], { isTerminal: (s) => s === 'CANCELLED' });
    await vi.advanceTimersByTimeAsync(0);
    expect(custom.log.values.map((s) => [s.status, s.done])).toEqual([['CANCELLED', true]]);
    expect(custom.log.complete).toBe(true);
  });

  it('takes the cadence from a function of the poll context', async () => {
    const contexts: unknown[] = [];
    const { fetch } = watch([{ status: 'PENDING' }, { status: 'PENDING' }, { status: 'SUCCESS' }], {
      interval: ({ poll, elapsedMs, status }) => (contexts.push([poll, elapsedMs, status?.status]), poll * 300),
    });
    await vi.advanceTimersByTimeAsync(900);
    expect(fetch.calls).toHaveLength(3);
    expect(contexts).toEqual([
      [1, 0, 'PENDING'],
      [2, 300, 'PENDING'],
    ]);
  });

  it('aborts a request that passes requestTimeoutMs as a CambTransportError', async () => {
    const { fetch, log } = watch(['never'], { requestTimeoutMs: 3000 });
    await vi.advanceTimersByTimeAsync(3000);
    expect(log.error).toBeInstanceOf(CambTransportError);
    expect(log.error).toMatchObject({ failure: 'timeout', method: 'GET', url: `${baseUrl}/transcribe/task-1` });
    expect(fetch.calls[0]?.init.signal.aborted).toBe(true);
  });

  it('retries a 503 and recovers without ending the stream', async () => {
    const { log } = watch([httpAnswer(503, 'busy', { 'retry-after': '2' }), { status: 'SUCCESS', run_id: 3 }], { retry: 2 });
    await vi.advanceTimersByTimeAsync(2000);
    expect(log.values.map((s) => [s.status, s.poll])).toEqual([['SUCCESS', 1]]);
    expect(log.complete).toBe(true);
  });

  it('treats a 404 within notFoundGraceMs as not visible yet, and fails after it', async () => {
    const early = watch([httpAnswer(404), httpAnswer(404), { status: 'SUCCESS' }], { notFoundGraceMs: 5000 });
    await vi.advanceTimersByTimeAsync(2000);
    expect(early.log.values.map((s) => [s.status, s.poll])).toEqual([['SUCCESS', 1]]);
    const late = watch([httpAnswer(404)], { notFoundGraceMs: 1500 });
    await vi.advanceTimersByTimeAsync(2000);
    expect(late.fetch.calls).toHaveLength(3); // t=0, t=1000, t=2000 (past the grace)
    expect(late.log.error).toMatchObject({ status: 404 });
  });

  it('reads bodies only up to maxBodyBytes', async () => {
    const { log } = watch([{ status: 'PENDING', message: 'x'.repeat(5000) }], { maxBodyBytes: 1024 });
    await vi.advanceTimersByTimeAsync(0);
    expect(log.error).toBeInstanceOf(CambSchemaError);
    expect((log.error as Error).message).toContain('body exceeds 1024 bytes');
  });

  it('never shows the API key in any error, toString, JSON or inspect output', async () => {
    const answers: StubAnswer[][] = [[httpAnswer(401, { detail: `bad key ${'x'}` })], ['never'], [new Response('nope')], [{ status: 'PENDING' }, 'never']];
    const errors: unknown[] = [];
    for (const list of answers) {
      const { log } = watch(list, { requestTimeoutMs: 100, timeoutMs: 500 });
      await vi.advanceTimersByTimeAsync(1000);
      errors.push(log.error);
    }
    expect(errors.map((e) => (e as Error).name)).toEqual(['CambHttpError', 'CambTransportError', 'CambSchemaError', 'CambTimeoutError']);
    for (const error of errors) {
      for (const text of [String(error), (error as Error).message, JSON.stringify(error), inspect(error, { depth: 10 })]) expect(text).not.toContain(apiKey);
    }
  });
});
