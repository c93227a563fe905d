// @vitest-environment node
import '@angular/compiler'; // first: JIT for Angular's partially compiled packages (see angular-app.ts)
import { HttpClient, provideHttpClient, withFetch, withInterceptors, type HttpInterceptorFn } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { EMPTY, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { fetchViaHttpClient } from '../../src/angular/index.js';
import {
  createCambClient,
  isCambHttpError,
  isCambTransportError,
  isRetryableError,
  transcriptionStatus$,
  type CambOptions,
} from '../../src/index.js';
import { useSimulators } from '../_helpers/simulator-harness.js';
import { useAngularApps } from './angular-app.js';

const boot = useAngularApps();
const startSimulator = useSimulators();
const baseUrl = 'https://camb.test/apis';

/** An app whose HttpClient goes to HttpTestingController, with the given interceptors. */
function testingApp(interceptors: HttpInterceptorFn[] = []) {
  const app = boot([provideHttpClient(withInterceptors(interceptors)), provideHttpClientTesting()]);
  const http = app.get(HttpClient);
  const connection: CambOptions = { apiKey: 'test-key', baseUrl, fetch: fetchViaHttpClient(http), retry: false };
  return { http, controller: app.get(HttpTestingController), connection };
}

/** The one request camb-rx has sent by now (it sends after subscription, not always synchronously). */
async function nextRequest(controller: HttpTestingController): Promise<TestRequest> {
  for (let waited = 0; waited < 2000; waited += 5) {
    const requests = controller.match(() => true);
    if (requests.length > 1) throw new Error(`expected one request, got ${requests.length}`);
    if (requests[0]) return requests[0];
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('no request within 2 s');
}

/** An AbortSignal that tells how many of the listeners added to it are still there. */
function countedSignal() {
  const controller = new AbortController();
  const add = vi.spyOn(controller.signal, 'addEventListener');
  const remove = vi.spyOn(controller.signal, 'removeEventListener');
  const removed = () => new Set(remove.mock.calls.map((call) => call[1]));
  return { controller, listening: () => add.mock.calls.filter((call) => !removed().has(call[1])).length };
}

describe('fetchViaHttpClient with HttpTestingController', () => {
  it('goes through the app’s interceptors, which can add headers', async () => {
    const seen: string[] = [];
    const { controller, connection } = testingApp([
      (req, next) => {
        seen.push(`${req.method} ${req.urlWithParams}`);
        return next(req.clone({ setHeaders: { 'x-trace-id': 'trace-1' } }));
      },
    ]);
    const statuses = lastValueFrom(transcriptionStatus$('task-1', connection).pipe(toArray()));

    const req = await nextRequest(controller);
    expect(seen).toEqual([`GET ${baseUrl}/transcribe/task-1`]);
    expect(req.request.headers.get('x-trace-id')).toBe('trace-1');
    expect(req.request.headers.get('x-api-key')).toBe('test-key');
    expect(req.request.headers.get('accept')).toBe('application/json');
    expect(req.request.responseType).toBe('text');
    expect(req.request.transferCache).toBe(false);
    req.flush('{"status":"SUCCESS","run_id":7,"extra":"ignored"}');

    expect(await statuses).toMatchObject([{ taskId: 'task-1', status: 'SUCCESS', runId: 7, done: true }]);
    controller.verify();
  });

  it('turns a 429 with Retry-After into CambHttpError.retryAfterMs, with the body excerpt', async () => {
    const { controller, connection } = testingApp();
    const failure = firstValueFrom(transcriptionStatus$('task-1', connection)).catch((error: unknown) => error);

    (await nextRequest(controller)).flush('{"detail":"slow down"}', { status: 429, statusText: 'Too Many Requests', headers: { 'Retry-After': '7' } });

    const error = await failure;
    expect(isCambHttpError(error)).toBe(true);
    if (!isCambHttpError(error)) return;
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(7000);
    expect(error.bodyExcerpt).toBe('{"detail":"slow down"}');
    expect(error.message).not.toContain('test-key');
  });

  it('rejects like fetch’s network error on status 0 (no response), which camb-rx retries', async () => {
    const { controller, connection } = testingApp();
    const failure = firstValueFrom(transcriptionStatus$('task-1', connection)).catch((error: unknown) => error);

    (await nextRequest(controller)).error(new Event('error') as ProgressEvent);

    const error = await failure;
    expect(isCambTransportError(error) && error.failure).toBe('network');
    expect(isRetryableError(error)).toBe(true);
    const cause = (error as Error).cause;
    expect(cause).toBeInstanceOf(TypeError);
    expect((cause as Error).message).toMatch(/^Failed to fetch \(Http failure response for https:\/\/camb\.test/);
  });

  it('cancels the TestRequest on unsubscribe and on abort of the caller’s signal', async () => {
    const { controller, connection } = testingApp();
    const subscription = transcriptionStatus$('task-1', connection).subscribe();
    const first = await nextRequest(controller);
    subscription.unsubscribe();
    expect(first.cancelled).toBe(true);

    const caller = new AbortController();
    const ended = lastValueFrom(transcriptionStatus$('task-2', { ...connection, signal: caller.signal })).catch((error: unknown) => error);
    const second = await nextRequest(controller);
    const reason = new Error('user left');
    caller.abort(reason);
    expect(second.cancelled).toBe(true);
    expect(await ended).toBe(reason); // the stream ends with the signal's reason, as fetch does
    controller.verify({ ignoreCancelled: true });
  });

  it('cancels the TestRequest when camb-rx’s request timeout fires', async () => {
    const { controller, connection } = testingApp();
    const failure = firstValueFrom(transcriptionStatus$('task-1', { ...connection, requestTimeoutMs: 50 })).catch((error: unknown) => error);
    const req = await nextRequest(controller);

    const error = await failure;
    expect(isCambTransportError(error) && error.failure).toBe('timeout');
    expect(req.cancelled).toBe(true);
  });

  it('removes its abort listener once the request settles, whichever way', async () => {
    const { http, controller } = testingApp();
    const fetch = fetchViaHttpClient(http);
    const init = (signal: AbortSignal) => ({ method: 'GET', headers: {}, signal, redirect: 'manual' as const });

    const ok = countedSignal();
    const answered = fetch(`${baseUrl}/transcribe/a`, init(ok.controller.signal));
    expect(ok.listening()).toBe(1);
    controller.expectOne(`${baseUrl}/transcribe/a`).flush('{"status":"PENDING"}', { headers: { 'x-seen': 'yes' } });
    const response = await answered;
    expect([response.status, response.headers.get('X-Seen'), await response.text()]).toEqual([200, 'yes', '{"status":"PENDING"}']);
    expect(ok.listening()).toBe(0);

    const notFound = countedSignal();
    const answered404 = fetch(`${baseUrl}/transcribe/b`, init(notFound.controller.signal));
    controller.expectOne(`${baseUrl}/transcribe/b`).flush('{"detail":"Task not found"}', { status: 404, statusText: 'Not Found' });
    const response404 = await answered404;
    expect([response404.status, await response404.text()]).toEqual([404, '{"detail":"Task not found"}']);
    expect(notFound.listening()).toBe(0);

    const network = countedSignal();
    const failed = fetch(`${baseUrl}/transcribe/c`, init(network.controller.signal)).catch((error: unknown) => error);
    controller.expectOne(`${baseUrl}/transcribe/c`).error(new Event('error') as ProgressEvent);
    expect(await failed).toBeInstanceOf(TypeError);
    expect(network.listening()).toBe(0);
  });

  it('rejects with the signal’s reason, sending nothing, when the signal is already aborted', async () => {
    const { http, controller } = testingApp();
    const reason = new Error('gone');
    const rejected = fetchViaHttpClient(http)(`${baseUrl}/transcribe/a`, { method: 'GET', headers: {}, signal: AbortSignal.abort(reason), redirect: 'manual' });
    await expect(rejected).rejects.toBe(reason);
    controller.verify();
  });

  it('passes an interceptor’s own error through, and fails when an interceptor answers nothing', async () => {
    const refused = new Error('no session');
    const { http } = testingApp([
      (req, next) => {
        if (req.url.endsWith('/refused')) throw refused;
        return req.url.endsWith('/empty') ? EMPTY : next(req);
      },
    ]);
    const fetch = fetchViaHttpClient(http);
    const signal = new AbortController().signal;
    await expect(fetch(`${baseUrl}/refused`, { method: 'GET', headers: {}, signal, redirect: 'manual' })).rejects.toBe(refused);
    await expect(fetch(`${baseUrl}/empty`, { method: 'GET', headers: {}, signal, redirect: 'manual' })).rejects.toThrow(/completed without a response/);
  });

  it('sends JSON text bodies with their content type, and multipart FormData as is', async () => {
    const { controller, connection } = testingApp();
    const camb = createCambClient(connection);

    const results = firstValueFrom(camb.transcriptionResults$([11, 12]));
    const bulk = await nextRequest(controller);
    expect([bulk.request.method, bulk.request.url, bulk.request.body]).toEqual(['POST', `${baseUrl}/transcription-results`, '{"run_ids":[11,12]}']);
    expect(bulk.request.headers.get('content-type')).toBe('application/json');
    bulk.flush(JSON.stringify({ 11: { transcript: [] }, 12: [] }));
    expect([...(await results).keys()]).toEqual([11, 12]);

    const created = firstValueFrom(camb.createTranscription$({ language: 1, mediaUrl: 'https://media.test/a.mp3', projectName: 'demo' }));
    const create = await nextRequest(controller);
    const form = create.request.body as FormData;
    expect(form).toBeInstanceOf(FormData);
    expect([form.get('language'), form.get('media_url'), form.get('project_name')]).toEqual(['1', 'https://media.test/a.mp3', 'demo']);
    expect(create.request.headers.has('content-type')).toBe(false); // the backend sets the multipart boundary
    create.flush('{"task_id":"task-new"}');
    expect(await created).toEqual({ taskId: 'task-new' });
  });
});

describe('fetchViaHttpClient over real sockets (withFetch)', () => {
  it('uploads a file as multipart/form-data that the simulator parses', async () => {
    const simulator = await startSimulator();
    const app = boot([provideHttpClient(withFetch())]);
    const camb = createCambClient({ apiKey: simulator.apiKey, baseUrl: simulator.url, fetch: fetchViaHttpClient(app.get(HttpClient)) });

    const bytes = new TextEncoder().encode('RIFF fake wav');
    const { taskId } = await firstValueFrom(camb.createTranscription$({ language: 1, mediaFile: bytes, fileName: 'hello.wav' }));

    const entry = simulator.requests.find((e) => e.route === 'create');
    expect(entry?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(entry?.form?.['language']).toBe('1');
    expect(entry?.form?.['media_file']).toMatchObject({ fileName: 'hello.wav', size: bytes.byteLength });
    expect(entry?.taskId).toBe(taskId);
  });

  it('maps a refused connection (status 0) to a transport error', async () => {
    const simulator = await startSimulator();
    const { url } = simulator;
    await simulator.close();
    const app = boot([provideHttpClient(withFetch())]);
    const connection = { apiKey: 'k', baseUrl: url, fetch: fetchViaHttpClient(app.get(HttpClient)), retry: false } as const;

    const error = await firstValueFrom(transcriptionStatus$('task-1', connection)).catch((e: unknown) => e);
    expect(isCambTransportError(error) && error.systemCode).toBe('ECONNREFUSED');
  });
});
