import { of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  batchTranscriptionResults,
  createCambClient,
  createTranscription$,
  mergeTasks,
  retryTransport,
  taskStatus$,
  transcribe$,
  transcriptionResult$,
  transcriptionResults$,
  transcriptionStatus$,
} from '../../src/index.js';
import { toAsyncIterable, toReadable } from '../../src/node/index.js';

const apiKey = 'k';
const request = { language: 1, mediaUrl: 'https://x.example/a.mp3' };
const camb = createCambClient({ apiKey });

/** Calls `make` with a misspelt option and expects the TypeError to name the option meant. */
const refuses = (make: () => unknown, typo: string, meant: string) =>
  expect(make).toThrow(new TypeError(`camb-rx: unknown option \`${typo}\`; did you mean \`${meant}\`?`));

describe('a misspelt option is a TypeError at call time that names the option meant', () => {
  it('in every function of the root entry, for each kind of option it takes', () => {
    refuses(() => transcriptionStatus$('t', { apiKey, intervall: 5000 } as never), 'intervall', 'interval');
    refuses(() => taskStatus$('dub', 't', { apiKey, baseURL: 'https://x/apis' } as never), 'baseURL', 'baseUrl');
    refuses(() => mergeTasks({ apiKey, maxRequestPerSecond: 5 } as never), 'maxRequestPerSecond', 'maxRequestsPerSecond');
    refuses(() => mergeTasks({ apiKey, onTaskEror: () => undefined } as never), 'onTaskEror', 'onTaskError');
    refuses(() => createCambClient({ apiKey, maxConcurentRequests: 2 } as never), 'maxConcurentRequests', 'maxConcurrentRequests');
    refuses(() => createTranscription$(request, { apiKey, requestTimeout: 5 } as never), 'requestTimeout', 'requestTimeoutMs');
    refuses(() => transcribe$(request, { apiKey, wordLevelTimestamp: true } as never), 'wordLevelTimestamp', 'wordLevelTimestamps');
    refuses(() => transcriptionResult$(1, { apiKey, wordlevelTimestamps: true } as never), 'wordlevelTimestamps', 'wordLevelTimestamps');
    refuses(() => transcriptionResults$([1], { apiKey, maxBodyByte: 5 } as never), 'maxBodyByte', 'maxBodyBytes');
    refuses(() => batchTranscriptionResults({ apiKey, maxBatchsize: 5 } as never), 'maxBatchsize', 'maxBatchSize');
  });

  it('in nested options and in the request', () => {
    refuses(() => transcriptionStatus$('t', { apiKey, retry: { maxRetry: 2 } } as never), 'retry.maxRetry', 'retry.maxRetries');
    refuses(() => retryTransport({ onRetyr: () => undefined } as never), 'retry.onRetyr', 'retry.onRetry');
    refuses(() => transcriptionStatus$('t', { apiKey, interval: { initialMS: 5 } } as never), 'interval.initialMS', 'interval.initialMs');
    refuses(() => createTranscription$({ ...request, projectname: 'p' } as never, { apiKey }), 'request.projectname', 'request.projectName');
  });

  it("in the client's methods, which take the options that are not bound", () => {
    refuses(() => camb.transcriptionStatus$('t', { timeoutMS: 5 } as never), 'timeoutMS', 'timeoutMs');
    refuses(() => camb.taskStatus$('dub', 't', { notFoundGrace: 5 } as never), 'notFoundGrace', 'notFoundGraceMs');
    refuses(() => camb.mergeTasks({ failfast: true } as never), 'failfast', 'failFast');
    refuses(() => camb.transcribe$(request, { signl: undefined } as never), 'signl', 'signal');
    refuses(() => camb.transcriptionResult$(1, { wordLevel: true } as never), 'wordLevel', 'wordLevelTimestamps');
    refuses(() => camb.batchTranscriptionResults({ maxWait: 5 } as never), 'maxWait', 'maxWaitMs');
  });

  it('in camb-rx/node', () => {
    refuses(() => toAsyncIterable(of(1), { buffersize: 5 } as never), 'buffersize', 'bufferSize');
    refuses(() => toReadable(of(1), { highWatermark: 5 } as never), 'highWatermark', 'highWaterMark');
  });

  it('names the options a function takes when none is close: a budget option on a single stream is not one', () => {
    expect(() => transcriptionStatus$('t', { apiKey, maxConcurrentRequests: 4 } as never)).toThrow(/unknown option `maxConcurrentRequests`; the options here are `apiKey`, .*`interval`/);
    expect(() => camb.transcriptionStatus$('t', { apiKey } as never)).toThrow(/unknown option `apiKey`/); // the client's connection is bound
  });
});
