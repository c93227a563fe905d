import { defer, identity, map, type Observable } from 'rxjs';
import { isCambHttpError, isCambTransportError } from '../errors/guards.js';
import { sendRequest$ } from '../http/send-request.js';
import { retryWith } from '../operators/retry-transport.js';
import { resolveCambOptions, type CambOptions, type ResolvedCambOptions } from '../options/camb-options.js';
import { TaskKinds } from '../wire/task-kind.js';
import { createBodySchema } from '../wire/transcription-result.js';
import { assertTranscriptionRequest, transcriptionForm, type TranscriptionRequest } from './transcription-request.js';

/** System codes that prove a request never reached the server. */
const neverSent: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * A create is not idempotent, so it is retried only when the server surely made no task: a 429
 * (it refused), or a connection that was never made. A reset, timeout or 5xx mid-upload is not
 * retried: the task may exist, and sending again could make a second, billed one.
 *
 * @example
 * ```ts
 * import { isSafeToRetryCreate, createTranscription$ } from 'camb-rx';
 * createTranscription$(request, { apiKey, retry: { retryOn: isSafeToRetryCreate } });
 * ```
 */
export function isSafeToRetryCreate(error: unknown): boolean {
  if (isCambHttpError(error)) return error.status === 429;
  return isCambTransportError(error) && error.failure === 'network' && error.systemCode !== undefined && neverSent.has(error.systemCode);
}

/**
 * Uploads media (or a media URL) for transcription: multipart `POST /transcribe`. Cold: nothing
 * is sent before subscription, and each subscription creates a new task. Retried only when
 * {@link isSafeToRetryCreate} says no task can exist; unsubscribing aborts the upload.
 *
 * @param request - language and exactly one of `mediaUrl` / `mediaFile`
 * @param options - `apiKey` and optional connection options
 * @returns emits `{ taskId }` once and completes
 * @throws TypeError at call time for a bad request or option
 * @example
 * ```ts
 * import { createTranscription$ } from 'camb-rx';
 * createTranscription$({ language: 1, mediaUrl: 'https://example.com/talk.mp3' }, { apiKey })
 *   .subscribe(({ taskId }) => console.log('created', taskId));
 * ```
 */
export function createTranscription$(request: TranscriptionRequest, options: CambOptions): Observable<{ taskId: string }> {
  return createWith(request, resolveCambOptions(options));
}

/** {@link createTranscription$} on resolved options. @internal */
export function createWith(request: TranscriptionRequest, connection: ResolvedCambOptions): Observable<{ taskId: string }> {
  assertTranscriptionRequest(request);
  const retry = connection.retry && { ...connection.retry, retryOn: isSafeToRetryCreate };
  return defer(() => sendRequest$({ method: 'POST', path: TaskKinds.transcribe, body: transcriptionForm(request) }, createBodySchema, connection)).pipe(
    retry ? retryWith(retry) : identity,
    map((body) => ({ taskId: String(body.task_id) })),
  );
}
