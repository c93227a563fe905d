import { concat, defer, map, mergeMap, of, switchMap, throwError, type Observable } from 'rxjs';
import { CambSchemaError } from '../errors/camb-schema-error.js';
import { cambOptionKeys, resolveCambOptions, type ResolvedCambOptions } from '../connection/connection-options.js';
import { pollOptionKeys, resolvePollOptions, type PollOptions, type StreamOptions } from '../status/status-options.js';
import { assertKnownKeys } from '../util/assert-known-keys.js';
import { endOnAbort } from '../status/end-on-abort.js';
import { taskStatusWith } from '../status/task-status-stream.js';
import { TaskKinds } from '../wire/task-kind.js';
import { TaskStatusValues, type TaskStatus } from '../wire/task-status.js';
import type { TranscriptionResult } from '../wire/transcription-result.js';
import { createTranscriptionWith } from './create-transcription.js';
import { resultOptionKeys, transcriptionResultWith, wordLevelOption } from './transcription-result.js';
import type { TranscriptionRequest } from './transcription-request.js';

/**
 * What `transcribe$` emits: `created`, then `status` events, then `result` on success. Narrow it
 * by `type`.
 *
 * @example
 * ```ts
 * import { transcribe$, type TranscribeEvent } from 'camb-rx';
 * const show = (e: TranscribeEvent) => (e.type === 'result' ? e.result.transcript.length : e.type);
 * transcribe$(request, { apiKey }).subscribe((e) => console.log(show(e)));
 * ```
 */
export type TranscribeEvent =
  | {
      /** The task was created. */
      readonly type: 'created';
      /** Its id, to resume with `transcriptionStatus$` if this stream ends early. */
      readonly taskId: string;
    }
  | {
      /** A status was read. */
      readonly type: 'status';
      /** The status, as `transcriptionStatus$` emits it. */
      readonly status: TaskStatus;
    }
  | {
      /** The transcript was fetched: the last event. */
      readonly type: 'result';
      /** The task's id. */
      readonly taskId: string;
      /** The run id the transcript was fetched with. */
      readonly runId: number;
      /** The transcript. */
      readonly result: TranscriptionResult;
    };

/**
 * Options of `transcribe$`: polling options, and whether to include word timings in the result.
 *
 * @example
 * ```ts
 * import type { TranscribeOptions } from 'camb-rx';
 * const options: TranscribeOptions = { apiKey, wordLevelTimestamps: true, timeoutMs: 20 * 60_000 };
 * ```
 */
export interface TranscribeOptions extends PollOptions {
  /**
   * Ask for word-level timestamps in the result.
   * @default false
   */
  wordLevelTimestamps?: boolean | undefined;
}

/** A task may not be visible to status reads at once after its create. */
const CREATE_GRACE_MS = 10_000;

/**
 * The whole transcription flow as one stream: create the task, follow its status, fetch the
 * transcript. Emits `created`, each `status`, then `result`, and completes. A failed task ends with
 * its terminal `status` event and no result (add `throwOnFailure()` to make it an error). Unless
 * `notFoundGraceMs` is set, a 404 in the first 10 s after create counts as "not visible yet".
 * `timeoutMs` bounds the polling, from the moment the task was created (not the upload before it).
 * Unsubscribing, or aborting `signal`, aborts whichever request is in flight.
 *
 * @param request - language and exactly one of `mediaUrl` / `mediaFile`
 * @param options - `apiKey`, connection and polling options, `wordLevelTimestamps`
 * @returns a cold observable of {@link TranscribeEvent}
 * @throws TypeError at call time for a bad request or option
 * @example
 * ```ts
 * import { transcribe$ } from 'camb-rx';
 * transcribe$({ language: 1, mediaUrl: 'https://example.com/talk.mp3' }, { apiKey }).subscribe((e) => {
 *   if (e.type === 'status') console.log(e.status.status);
 *   if (e.type === 'result') console.log(e.result.transcript.map((s) => s.text).join(' '));
 * });
 * ```
 */
export function transcribe$(request: TranscriptionRequest, options: TranscribeOptions): Observable<TranscribeEvent> {
  assertKnownKeys(options, [...cambOptionKeys, ...pollOptionKeys, ...resultOptionKeys]);
  return transcribeWith(request, withCreateGrace(options), resolveCambOptions(options));
}

/** Polling options with the create grace period as the default `notFoundGraceMs`. @internal */
export const withCreateGrace = <T extends StreamOptions>(options: T): T => ({ ...options, notFoundGraceMs: options.notFoundGraceMs ?? CREATE_GRACE_MS });

/** {@link transcribe$} on a resolved connection. @internal */
export function transcribeWith(
  request: TranscriptionRequest,
  options: StreamOptions & Pick<TranscribeOptions, 'wordLevelTimestamps'>,
  connection: ResolvedCambOptions,
): Observable<TranscribeEvent> {
  const poll = resolvePollOptions(options, connection);
  const created$ = createTranscriptionWith(request, connection);
  const wordLevel = wordLevelOption(options.wordLevelTimestamps);

  const resultOf = (status: TaskStatus): Observable<TranscribeEvent> => {
    if (status.runId === undefined) {
      const problem = 'status SUCCESS came without run_id, so there is no result to fetch';
      return throwError(() => new CambSchemaError({ url: `${connection.baseUrl}/transcribe/${status.taskId}`, problem, bodyExcerpt: '' }));
    }
    const runId = status.runId;
    return transcriptionResultWith(runId, wordLevel, connection).pipe(map((result) => ({ type: 'result', taskId: status.taskId, runId, result }) as const));
  };

  return defer(() => created$).pipe(
    switchMap(({ taskId }) =>
      concat(
        of({ type: 'created', taskId } as const),
        taskStatusWith(TaskKinds.transcribe, taskId, { ...poll, signal: undefined }).pipe(
          mergeMap((status) => {
            const event = of({ type: 'status', status } as const);
            return status.done && status.status === TaskStatusValues.SUCCESS ? concat(event, resultOf(status)) : event;
          }),
        ),
      ),
    ),
    endOnAbort(poll.signal),
  );
}
