import { defer, map, type Observable } from 'rxjs';
import { isCambHttpError, isCambTransportError } from '../errors/guards.js';
import { sendRequest$ } from '../http/send-request.js';
import { retryTransportWith } from '../retry/retry-transport-with.js';
import { cambOptionKeys, resolveCambOptions, type CambOptions, type ResolvedCambOptions } from '../connection/connection-options.js';
import { assertKnownKeys } from '../util/assert-known-keys.js';
import { TaskKinds } from '../wire/task-kind.js';
import { createBodySchema } from '../wire/transcription-result.js';
import { assertTranscriptionRequest, transcriptionForm, type TranscriptionRequest } from './transcription-request.js';

/** System codes that prove a request never reached the server: no address, no route, no connection. */
const neverSent: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * A create is not idempotent, so it is retried only when the server surely made no task: a 429
 * (it refused), or a connection that was never made. A reset, timeout or 5xx mid-upload is not
 * retried: the task may exist, and sending again could make a second, billed one.
 * `createTranscription$` and `transcribe$` always apply it, on top of the caller's `retryOn`.
 *
 * @param error - the error of a create request
 * @returns true when no task can exist, so sending again is safe
 * @example
 * ```ts
 * import { isSafeToRetryCreate, retryTransport } from 'camb-rx';
 * myOwnCreate$.pipe(retryTransport({ retryOn: isSafeToRetryCreate }));
 * ```
 */
export function isSafeToRetryCreate(error: unknown): boolean {
  if (isCambHttpError(error)) return error.status === 429;
  return isCambTransportError(error) && error.failure === 'network' && error.systemCode !== undefined && neverSent.has(error.systemCode);
}

/**
 * Uploads media (or a media URL) for transcription: multipart `POST /transcribe`. Cold: nothing
 * is sent before subscription, and each subscription creates a new task. Retried only when
 * {@link isSafeToRetryCreate} says no task can exist (and `retry.retryOn` agrees); unsubscribing
 * aborts the upload.
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
export function createTranscription$(
  request: TranscriptionRequest,
  options: CambOptions,
): Observable<{
  /** The new task's id, for `transcriptionStatus$`. */
  taskId: string;
}> {
  assertKnownKeys(options, cambOptionKeys);
  return createTranscriptionWith(request, resolveCambOptions(options));
}

/** The caller's `retryOn`, narrowed to the errors after which no task can exist. */
const safeOnly =
  (retryOn: (error: unknown) => boolean) =>
  (error: unknown): boolean =>
    isSafeToRetryCreate(error) && retryOn(error);

/** {@link createTranscription$} on resolved options. @internal */
export function createTranscriptionWith(request: TranscriptionRequest, connection: ResolvedCambOptions): Observable<{ taskId: string }> {
  assertTranscriptionRequest(request);
  // The caller's retryOn may narrow what is retried, never widen it past what is safe.
  const retry = connection.retry && { ...connection.retry, retryOn: safeOnly(connection.retry.retryOn) };
  return defer(() => sendRequest$({ method: 'POST', path: TaskKinds.transcribe, body: transcriptionForm(request) }, createBodySchema, connection)).pipe(
    retryTransportWith(retry),
    map((body) => ({ taskId: String(body.task_id) })),
  );
}
