import { map, type Observable } from 'rxjs';
import { sendRequest$ } from '../http/send-request.js';
import { retryTransportWith } from '../retry/retry-transport-with.js';
import { assertKnownKeys, optionKeys } from '../util/assert-known-keys.js';
import { optionError } from '../util/assert-option.js';
import { cambOptionKeys, resolveCambOptions, type CambOptions, type ResolvedCambOptions } from '../connection/connection-options.js';
import { bulkResultBodySchema, resultBodySchema, toTranscriptionResult, type TranscriptionResult } from '../wire/transcription-result.js';

/**
 * Options of the result functions: the connection, and whether to include word timings.
 *
 * @example
 * ```ts
 * import { transcriptionResult$, type ResultOptions } from 'camb-rx';
 * const options: ResultOptions = { apiKey, wordLevelTimestamps: true };
 * transcriptionResult$(runId, options).subscribe(console.log);
 * ```
 */
export interface ResultOptions extends CambOptions {
  /**
   * Ask for word-level timestamps (`words` on each segment).
   * @default false
   */
  wordLevelTimestamps?: boolean | undefined;
}

/** The names of {@link ResultOptions} beyond the connection's, for the check of unknown options. */
export const resultOptionKeys = optionKeys<Omit<ResultOptions, keyof CambOptions>>({ wordLevelTimestamps: true });

const assertRunId = (runId: unknown): number => {
  if (Number.isSafeInteger(runId) && (runId as number) >= 0) return runId as number;
  throw optionError('runId', 'a non-negative whole number', runId);
};

/** Checks the `wordLevelTimestamps` option at call time; throws `TypeError` for a non-boolean. @internal */
export function wordLevelOption(value: unknown): boolean {
  if (value === undefined || typeof value === 'boolean') return value === true;
  throw optionError('wordLevelTimestamps', 'a boolean', value);
}

/**
 * Fetches one transcript: `GET /transcription-result/{runId}`, accepting both documented shapes.
 * Retried like a status read (it is a safe GET); unsubscribing aborts it.
 *
 * @param runId - the `runId` of a SUCCESS status
 * @param options - `apiKey`, connection options and `wordLevelTimestamps`
 * @returns emits the {@link TranscriptionResult} once and completes
 * @throws TypeError at call time for a bad run id or option
 * @example
 * ```ts
 * import { transcriptionResult$ } from 'camb-rx';
 * transcriptionResult$(status.runId!, { apiKey, wordLevelTimestamps: true })
 *   .subscribe(({ transcript }) => transcript.forEach((s) => console.log(s.speaker, s.text)));
 * ```
 */
export function transcriptionResult$(runId: number, options: ResultOptions): Observable<TranscriptionResult> {
  assertKnownKeys(options, [...cambOptionKeys, ...resultOptionKeys]);
  const connection = resolveCambOptions(options);
  return transcriptionResultWith(runId, wordLevelOption(options.wordLevelTimestamps), connection);
}

/** {@link transcriptionResult$} on resolved options. @internal */
export function transcriptionResultWith(runId: number, wordLevelTimestamps: boolean, connection: ResolvedCambOptions): Observable<TranscriptionResult> {
  const path = `transcription-result/${assertRunId(runId)}`;
  const query = { word_level_timestamps: String(wordLevelTimestamps) };
  return sendRequest$({ method: 'GET', path, query }, resultBodySchema, connection).pipe(
    retryTransportWith(connection.retry),
    map(toTranscriptionResult),
  );
}

/**
 * Fetches many transcripts in one request: `POST /transcription-results`. Run ids CAMB leaves out
 * of its answer are left out of the map.
 *
 * @param runIds - run ids of SUCCESS statuses (at least one)
 * @param options - `apiKey` and connection options
 * @returns emits a map from run id to {@link TranscriptionResult} once and completes
 * @throws TypeError at call time for bad run ids or options
 * @example
 * ```ts
 * import { transcriptionResults$ } from 'camb-rx';
 * transcriptionResults$([101, 102], { apiKey }).subscribe((results) => console.log(results.get(101)));
 * ```
 */
export function transcriptionResults$(runIds: readonly number[], options: CambOptions): Observable<ReadonlyMap<number, TranscriptionResult>> {
  assertKnownKeys(options, cambOptionKeys);
  return transcriptionResultsWith(runIds, resolveCambOptions(options));
}

/** {@link transcriptionResults$} on resolved options. @internal */
export function transcriptionResultsWith(runIds: readonly number[], connection: ResolvedCambOptions): Observable<ReadonlyMap<number, TranscriptionResult>> {
  if (!Array.isArray(runIds) || runIds.length === 0) throw optionError('runIds', 'a non-empty array of run ids', runIds);
  const body = JSON.stringify({ run_ids: runIds.map(assertRunId) });
  return sendRequest$({ method: 'POST', path: 'transcription-results', body }, bulkResultBodySchema, connection).pipe(
    retryTransportWith(connection.retry),
    map((results) => new Map(Object.entries(results).map(([runId, result]) => [Number(runId), toTranscriptionResult(result)]))),
  );
}
