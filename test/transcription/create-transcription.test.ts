import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CambHttpError,
  CambTransportError,
  createTranscription$,
  isCambHttpError,
  isCambTransportError,
  isSafeToRetryCreate,
  type RetryEvent,
} from '../../src/index.js';
import { readMediaFile } from '../../src/node/index.js';
import { startCambSimulator, type CambSimulator, type RequestLogEntry } from '../../src/testing/index.js';
import { useSimulators } from '../_helpers/simulator-harness.js';
import { slowUploadFetch } from './slow-upload-fetch.js';

const start = useSimulators();
const createPath = '/apis/transcribe';
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const creates = (simulator: CambSimulator): RequestLogEntry[] => simulator.requests.filter((e) => e.route === 'create');
const connect = (simulator: CambSimulator) => ({ apiKey: simulator.apiKey, baseUrl: simulator.url });
/** Fast retries, so that the tests that prove "no retry" would fail quickly if one happened. */
const fastRetry = { retry: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20 } };

/** The form as the simulator logged it, for a file small enough to keep its bytes. */
const loggedFile = (bytes: Uint8Array, fileName: string, type: string) => ({ fileName, type, size: bytes.byteLength, sha256: sha256(bytes), bytes });

describe('createTranscription$: the multipart body, as the simulator parsed it', () => {
  const audio = new Uint8Array(600).map((_, i) => (i * 7) % 256);
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'camb-rx-create-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('sends a Blob as media_file named "media", with language', async () => {
    const simulator = await start();
    const { taskId } = await firstValueFrom(createTranscription$({ language: 1, mediaFile: new Blob([audio]) }, connect(simulator)));
    const [entry] = creates(simulator);
    expect(entry?.taskId).toBe(taskId);
    expect(entry?.form).toEqual({ language: '1', media_file: loggedFile(audio, 'media', 'application/octet-stream') });
    expect(simulator.task(taskId).kind).toBe('transcribe');
  });

  it('sends a File under its own name and type, unless fileName says otherwise', async () => {
    const simulator = await start();
    const file = new File([audio], 'clip.mp3', { type: 'audio/mpeg' });
    await firstValueFrom(createTranscription$({ language: 2, mediaFile: file }, connect(simulator)));
    await firstValueFrom(createTranscription$({ language: 2, mediaFile: file, fileName: 'renamed.mp3' }, connect(simulator)));
    expect(creates(simulator).map((e) => e.form)).toEqual([
      { language: '2', media_file: loggedFile(audio, 'clip.mp3', 'audio/mpeg') },
      { language: '2', media_file: loggedFile(audio, 'renamed.mp3', 'audio/mpeg') },
    ]);
  });

  it('sends exactly the viewed bytes of a Node Buffer and of a Uint8Array view with an offset', async () => {
    const simulator = await start();
    const pooled = Buffer.from('RIFF small pooled buffer bytes');
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.byteLength); // a view into Node's shared pool
    const view = audio.subarray(100, 400);
    await firstValueFrom(createTranscription$({ language: 1, mediaFile: pooled, fileName: 'a.wav' }, connect(simulator)));
    await firstValueFrom(createTranscription$({ language: 1, mediaFile: view, fileName: 'b.wav' }, connect(simulator)));
    expect(creates(simulator).map((e) => e.form)).toEqual([
      { language: '1', media_file: loggedFile(new Uint8Array(pooled), 'a.wav', 'application/octet-stream') },
      { language: '1', media_file: loggedFile(view.slice(), 'b.wav', 'application/octet-stream') },
    ]);
  });

  it('streams a file opened with readMediaFile (camb-rx/node), named after its path', async () => {
    const simulator = await start();
    const big = new Uint8Array(300_000).map((_, i) => (i * 31 + 7) % 251);
    const path = join(dir, 'interview.wav');
    await writeFile(path, big);
    const media = await readMediaFile(path, 'audio/wav');
    await firstValueFrom(createTranscription$({ language: 1, ...media }, connect(simulator)));
    // Over 1 KiB, the log keeps the hash but not the bytes.
    expect(creates(simulator)[0]?.form).toEqual({
      language: '1',
      media_file: { fileName: 'interview.wav', type: 'audio/wav', size: big.byteLength, sha256: sha256(big) },
    });
  });

  it('sends media_url and every optional project field as text fields', async () => {
    const simulator = await start();
    const request = {
      language: 76,
      mediaUrl: 'https://media.example.com/talk.mp3?sig=abc',
      projectName: 'Quarterly call',
      projectDescription: 'Q3, with the board',
      folderId: 42,
    };
    const { taskId } = await lastValueFrom(createTranscription$(request, connect(simulator)));
    expect(creates(simulator)[0]?.form).toEqual({
      language: '76',
      media_url: 'https://media.example.com/talk.mp3?sig=abc',
      project_name: 'Quarterly call',
      project_description: 'Q3, with the board',
      folder_id: '42',
    });
    expect(creates(simulator)[0]?.status).toBe(200);
    expect(simulator.tasks.map((t) => t.id)).toEqual([taskId]);
  });

  it('refuses at call time what the server could not parse as an integer', () => {
    const options = { apiKey: 'k', baseUrl: 'http://127.0.0.1:9/apis' };
    // String(1e21) is "1e+21", which CAMB (and the simulator) reject with a 422.
    expect(() => createTranscription$({ language: 1e21, mediaUrl: 'https://x.example/a.mp3' }, options)).toThrow(TypeError);
    expect(() => createTranscription$({ language: 1, mediaUrl: 'https://x.example/a.mp3', folderId: 2 ** 70 }, options)).toThrow(TypeError);
  });

  it('refuses an empty mediaFile (0 bytes) at call time, as a Blob, a Uint8Array or an empty view', () => {
    const options = { apiKey: 'k', baseUrl: 'http://127.0.0.1:9/apis' };
    for (const mediaFile of [new Blob([]), new Uint8Array(0), new Uint8Array(new ArrayBuffer(8), 8, 0)]) {
      expect(() => createTranscription$({ language: 1, mediaFile }, options)).toThrow(/`request.mediaFile` is empty \(0 bytes\)/);
    }
  });
});

describe('createTranscription$: errors and retries', () => {
  const url = { language: 1, mediaUrl: 'https://media.example.com/a.mp3' };

  it('fails with CambHttpError on a 422, without retrying', async () => {
    const simulator = await start();
    const detail = [{ loc: ['body', 'language'], msg: 'Unsupported language', type: 'value_error' }];
    simulator.injectFault({ type: 'http', status: 422, body: { detail } }, { path: createPath });
    const error = await firstValueFrom(createTranscription$(url, { ...connect(simulator), ...fastRetry })).catch((e: unknown) => e);
    expect(isCambHttpError(error) && error.status).toBe(422);
    expect(isCambHttpError(error) && error.bodyExcerpt).toContain('Unsupported language');
    expect(creates(simulator)).toHaveLength(1);
  });

  it('does not retry a 5xx: the task may exist, so exactly one request is sent', async () => {
    const simulator = await start();
    simulator.injectFault({ type: 'http', status: 503 }, { path: createPath, times: 5 });
    const error = await firstValueFrom(createTranscription$(url, { ...connect(simulator), ...fastRetry })).catch((e: unknown) => e);
    expect(isCambHttpError(error) && error.status).toBe(503);
    expect(creates(simulator)).toHaveLength(1);
  });

  it('does not retry a connection reset mid-upload: exactly one request is sent', async () => {
    const simulator = await start();
    simulator.injectFault({ type: 'reset-before-headers' }, { path: createPath, times: 5 });
    const mediaFile = new Uint8Array(4 * 1024 * 1024); // the reset comes while this is still being sent
    const error = await firstValueFrom(createTranscription$({ language: 1, mediaFile }, { ...connect(simulator), ...fastRetry })).catch((e: unknown) => e);
    expect(isCambTransportError(error) && error.failure).toBe('network');
    expect(creates(simulator)).toHaveLength(1);
    expect(creates(simulator)[0]?.form).toBeUndefined(); // the body was never read
  });

  it('retries a 429 (the server refused, so no task exists), honouring Retry-After', async () => {
    const simulator = await start();
    simulator.injectFault({ type: 'http', status: 429, retryAfter: 0 }, { path: createPath, times: 2 });
    const retries: RetryEvent[] = [];
    const { taskId } = await firstValueFrom(
      createTranscription$(url, { ...connect(simulator), retry: { ...fastRetry.retry, onRetry: (e) => retries.push(e) } }),
    );
    expect(creates(simulator).map((e) => e.status)).toEqual([429, 429, 200]);
    expect(retries.map((r) => [r.serverDirected, r.delayMs])).toEqual([
      [true, 0],
      [true, 0],
    ]);
    expect(simulator.tasks.map((t) => t.id)).toEqual([taskId]);
  });

  it('retries a refused connection (nothing reached a server) until the server is up', async () => {
    const probe = await startCambSimulator();
    const { port } = probe;
    await probe.close();
    let revived: CambSimulator | undefined;
    const retries: RetryEvent[] = [];
    try {
      const options = {
        apiKey: 'sim-key',
        baseUrl: `http://127.0.0.1:${port}/apis`,
        retry: {
          maxRetries: 20,
          baseDelayMs: 50,
          maxDelayMs: 100,
          onRetry: (event: RetryEvent) => {
            retries.push(event);
            if (retries.length === 1) void startCambSimulator({ port }).then((s) => (revived = s));
          },
        },
      };
      const { taskId } = await firstValueFrom(createTranscription$(url, options));
      expect(retries.length).toBeGreaterThan(0);
      expect(retries.every((r) => isCambTransportError(r.error) && r.error.systemCode === 'ECONNREFUSED')).toBe(true);
      expect(revived && creates(revived).map((e) => e.taskId)).toEqual([taskId]);
    } finally {
      await revived?.close();
    }
  });

  it('with retry: false, a 429 fails at once', async () => {
    const simulator = await start();
    simulator.injectFault({ type: 'http', status: 429, retryAfter: 0 }, { path: createPath });
    const error = await firstValueFrom(createTranscription$(url, { ...connect(simulator), retry: false })).catch((e: unknown) => e);
    expect(isCambHttpError(error) && error.status).toBe(429);
    expect(creates(simulator)).toHaveLength(1);
  });

  it('keeps a caller’s retryOn as a further limit, never widening what is safe to retry', async () => {
    const simulator = await start();
    simulator.injectFault({ type: 'http', status: 429, retryAfter: 0 }, { path: createPath });
    const options = { ...connect(simulator), retry: { ...fastRetry.retry, retryOn: () => false } };
    const error = await firstValueFrom(createTranscription$(url, options)).catch((e: unknown) => e);
    expect(isCambHttpError(error) && error.status).toBe(429);
    expect(creates(simulator)).toHaveLength(1);
  });
});

describe('createTranscription$: cancellation', () => {
  it('is cold: nothing is sent before subscription', async () => {
    const simulator = await start();
    const create$ = createTranscription$({ language: 1, mediaUrl: 'https://x.example/a.mp3' }, connect(simulator));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(simulator.requests).toHaveLength(0);
    await firstValueFrom(create$);
    expect(creates(simulator)).toHaveLength(1);
  });

  it('unsubscribing mid-upload aborts it: the simulator sees the client close the connection', async () => {
    const simulator = await start();
    const mediaFile = new Uint8Array(256 * 1024);
    // 8 KiB every 20 ms: the upload takes about 0.7 s, and the simulator reads it as it arrives.
    const options = { ...connect(simulator), fetch: slowUploadFetch(8 * 1024, 20) };
    const subscription = createTranscription$({ language: 1, mediaFile }, options).subscribe({
      error: (e: unknown) => expect.unreachable(String(e)),
    });
    const entry = await simulator.waitForRequest((e) => e.route === 'create');
    await new Promise((resolve) => setTimeout(resolve, 100));
    subscription.unsubscribe();
    const closed = await simulator.waitForClose(entry, 3000);
    expect(closed.closedByClient).toBe(true);
    expect(closed.form).toBeUndefined(); // the body never arrived whole
    expect(creates(simulator)).toHaveLength(1);
    expect(simulator.tasks).toHaveLength(0);
  });
});

describe('isSafeToRetryCreate', () => {
  const network = (systemCode?: string) =>
    new CambTransportError({ failure: 'network', method: 'POST', url: 'https://x/apis/transcribe', detail: 'fetch failed', ...(systemCode && { systemCode }) });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])('is true for %s: no connection was made', (code) => {
    expect(isSafeToRetryCreate(network(code))).toBe(true);
  });

  it.each([
    ['a reset', network('ECONNRESET')],
    ['a socket closed mid-request', network('UND_ERR_SOCKET')],
    ['a network error without a code', network()],
    ['a request timeout', new CambTransportError({ failure: 'timeout', method: 'POST', url: 'u', detail: 'slow', systemCode: 'ECONNREFUSED' })],
    ['a 500', new CambHttpError({ status: 500, method: 'POST', url: 'u' })],
    ['a 408', new CambHttpError({ status: 408, method: 'POST', url: 'u' })],
    ['anything else', new Error('fetch failed')],
  ])('is false for %s: the task may exist', (_name, error) => {
    expect(isSafeToRetryCreate(error)).toBe(false);
  });

  it('is true for a 429', () => {
    expect(isSafeToRetryCreate(new CambHttpError({ status: 429, method: 'POST', url: 'u' }))).toBe(true);
  });
});

