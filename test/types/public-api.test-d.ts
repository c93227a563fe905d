import type { Readable } from 'node:stream';
import { of, type MonoTypeOperatorFunction, type Observable, type OperatorFunction } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import {
  createCambClient,
  distinctStatus,
  isCambError,
  isCambHttpError,
  isCambMergeError,
  isCambTaskFailedError,
  isCambTimeoutError,
  isCambTransportError,
  mergeTasks,
  retryTransport,
  taskStatus$,
  throwOnFailure,
  transcribe$,
  transcriptionStatus$,
  type CambClient,
  type CambError,
  type CambHttpError,
  type CambOptions,
  type PollOptions,
  type RetryOptions,
  type TaskFailure,
  type TaskKind,
  type TaskStatus,
  type TaskStatusValue,
  type TranscribeEvent,
  type TranscriptionResult,
} from '../../src/index.js';
import { toAsyncIterable, toReadable, type OverflowStrategy } from '../../src/node/index.js';
import { startCambSimulator, type CambSimulator } from '../../src/testing/index.js';

const apiKey = 'key';

describe('status streams', () => {
  it('transcriptionStatus$(taskId, options) is an Observable<TaskStatus>', () => {
    expectTypeOf(transcriptionStatus$).parameters.toEqualTypeOf<[taskId: string, options: PollOptions]>();
    expectTypeOf(transcriptionStatus$).returns.toEqualTypeOf<Observable<TaskStatus>>();
    expectTypeOf(taskStatus$('dub', 'id', { apiKey })).toEqualTypeOf<Observable<TaskStatus>>();
  });

  it('TaskStatus has these fields, and only the CAMB extras are optional', () => {
    expectTypeOf<TaskStatus>().toEqualTypeOf<{
      readonly taskId: string;
      readonly kind: TaskKind;
      readonly status: TaskStatusValue;
      readonly done: boolean;
      readonly runId?: number;
      readonly exceptionReason?: string;
      readonly message?: string | Record<string, unknown>;
      readonly poll: number;
      readonly elapsedMs: number;
    }>();
    expectTypeOf<TaskStatus['runId']>().toEqualTypeOf<number | undefined>();
  });

  it('a status is any string, the documented ones included', () => {
    expectTypeOf<'PENDING'>().toExtend<TaskStatusValue>();
    expectTypeOf<'CANCELLED'>().toExtend<TaskStatusValue>();
    expectTypeOf<TaskStatusValue>().toExtend<string>();
  });

  it('options require apiKey; every other option is optional', () => {
    expectTypeOf<{ apiKey: string }>().toExtend<PollOptions>();
    expectTypeOf<{ baseUrl: string }>().not.toExtend<CambOptions>();
    // @ts-expect-error apiKey is required
    transcriptionStatus$('id', {});
    // @ts-expect-error options are required
    transcriptionStatus$('id');
    // @ts-expect-error apiKey must be a string
    transcriptionStatus$('id', { apiKey: 1 });
    // @ts-expect-error no such option
    transcriptionStatus$('id', { apiKey, intervalMs: 5 });
  });

  it('the task kind is one of the CAMB kinds', () => {
    expectTypeOf<'transcribe' | 'dub' | 'tts'>().toExtend<TaskKind>();
    // @ts-expect-error not a CAMB kind
    taskStatus$('transcription', 'id', { apiKey });
    // @ts-expect-error kinds are lowercase
    taskStatus$('DUB', 'id', { apiKey });
  });
});

describe('operators', () => {
  it('mergeTasks is an OperatorFunction<string, TaskStatus>', () => {
    expectTypeOf(mergeTasks({ apiKey })).toEqualTypeOf<OperatorFunction<string, TaskStatus>>();
    expectTypeOf(of('a', 'b').pipe(mergeTasks({ apiKey, maxConcurrentRequests: 4 }))).toEqualTypeOf<Observable<TaskStatus>>();
    // @ts-expect-error task ids are strings
    of(1, 2).pipe(mergeTasks({ apiKey }));
    mergeTasks({ apiKey, onTaskError: (failure) => expectTypeOf(failure).toEqualTypeOf<TaskFailure>() });
  });

  it('distinctStatus and throwOnFailure keep the element type', () => {
    expectTypeOf(distinctStatus()).toEqualTypeOf<MonoTypeOperatorFunction<TaskStatus>>();
    expectTypeOf(transcriptionStatus$('id', { apiKey }).pipe(throwOnFailure())).toEqualTypeOf<Observable<TaskStatus>>();
    expectTypeOf(transcribe$({ language: 1, mediaUrl: 'u' }, { apiKey }).pipe(throwOnFailure())).toEqualTypeOf<Observable<TranscribeEvent>>();
    // @ts-expect-error only status streams and transcribe$ events
    of(1).pipe(throwOnFailure());
  });

  it('retryTransport takes a number or RetryOptions', () => {
    expectTypeOf(retryTransport).parameter(0).toEqualTypeOf<RetryOptions | number | undefined>();
    expectTypeOf(retryTransport<string>(3)).toEqualTypeOf<MonoTypeOperatorFunction<string>>();
    expectTypeOf(of(1).pipe(retryTransport({ maxRetries: 2, retryOn: () => true }))).toEqualTypeOf<Observable<number>>();
    // @ts-expect-error not a number of retries
    retryTransport('3');
    // @ts-expect-error no such option
    retryTransport({ retries: 3 });
  });
});

describe('transcribe$ events', () => {
  it('narrow by type', () => {
    const handle = (event: TranscribeEvent) => {
      switch (event.type) {
        case 'created':
          expectTypeOf(event.taskId).toEqualTypeOf<string>();
          // @ts-expect-error a created event has no status
          void event.status;
          break;
        case 'status':
          expectTypeOf(event.status).toEqualTypeOf<TaskStatus>();
          break;
        case 'result':
          expectTypeOf(event.runId).toEqualTypeOf<number>();
          expectTypeOf(event.result).toEqualTypeOf<TranscriptionResult>();
          break;
        default:
          expectTypeOf(event).toBeNever();
      }
    };
    expectTypeOf(handle).parameter(0).toEqualTypeOf<TranscribeEvent>();
    expectTypeOf<TranscribeEvent['type']>().toEqualTypeOf<'created' | 'status' | 'result'>();
  });

  it('a request has exactly one media source', () => {
    transcribe$({ language: 1, mediaUrl: 'https://example.com/a.mp3' }, { apiKey });
    // @ts-expect-error language is required
    transcribe$({ mediaUrl: 'https://example.com/a.mp3' }, { apiKey });
  });
});

describe('error guards', () => {
  it('narrow unknown to each error class', () => {
    const error: unknown = new Error('x');
    if (isCambError(error)) expectTypeOf(error).toEqualTypeOf<CambError>();
    if (isCambHttpError(error)) {
      expectTypeOf(error).toEqualTypeOf<CambHttpError>();
      expectTypeOf(error.status).toEqualTypeOf<number>();
      expectTypeOf(error.retryAfterMs).toEqualTypeOf<number | undefined>();
    }
    if (isCambTimeoutError(error)) expectTypeOf(error.lastStatus).toEqualTypeOf<TaskStatus | undefined>();
    if (isCambTaskFailedError(error)) expectTypeOf(error.taskStatus).toEqualTypeOf<TaskStatus>();
    if (isCambMergeError(error)) expectTypeOf(error.failures).toEqualTypeOf<readonly TaskFailure[]>();
    if (isCambTransportError(error)) expectTypeOf(error.url).toEqualTypeOf<string>();
    expectTypeOf(isCambHttpError).guards.toEqualTypeOf<CambHttpError>();
  });
});

describe('client, testing and node entries', () => {
  it('createCambClient needs apiKey and binds the same functions', () => {
    expectTypeOf(createCambClient({ apiKey, maxRequestsPerSecond: 5 })).toEqualTypeOf<CambClient>();
    expectTypeOf<CambClient['transcriptionStatus$']>().returns.toEqualTypeOf<Observable<TaskStatus>>();
    // @ts-expect-error apiKey is required
    createCambClient({ maxRequestsPerSecond: 5 });
  });

  it('startCambSimulator resolves to a CambSimulator', () => {
    expectTypeOf(startCambSimulator).returns.toEqualTypeOf<Promise<CambSimulator>>();
  });

  it('toAsyncIterable and toReadable keep the element type', () => {
    const status$ = transcriptionStatus$('id', { apiKey });
    expectTypeOf(toAsyncIterable(status$)).toEqualTypeOf<AsyncIterable<TaskStatus>>();
    expectTypeOf(toReadable(status$, { highWaterMark: 4, bufferSize: 100 })).toEqualTypeOf<Readable>();
    expectTypeOf<OverflowStrategy>().toEqualTypeOf<'error' | 'drop-oldest'>();
    // @ts-expect-error not an overflow strategy
    toAsyncIterable(status$, { overflow: 'drop-newest' });
  });
});
