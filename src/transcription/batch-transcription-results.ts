import { EMPTY, bufferTime, catchError, concat, connect, defer, filter, from, map, merge, mergeMap, of, partition, throwError, type Observable, type OperatorFunction } from 'rxjs';
import type { TaskFailure } from '../errors/camb-merge-error.js';
import { CambSchemaError } from '../errors/camb-schema-error.js';
import { CambTaskFailedError } from '../errors/camb-task-failed-error.js';
import { FailureModes, isFailureMode, type FailureMode } from '../merge/failure-mode.js';
import { assertKnownKeys, optionKeys } from '../util/assert-known-keys.js';
import { assertInteger, assertMs, optionError } from '../util/assert-option.js';
import { cambOptionKeys, resolveCambOptions, type CambOptions, type ResolvedCambOptions } from '../connection/connection-options.js';
import { TaskStatusValues, type TaskStatus } from '../wire/task-status.js';
import type { TranscriptionResult } from '../wire/transcription-result.js';
import { transcriptionResultWith, transcriptionResultsWith } from './transcription-result.js';

/**
 * How `batchTranscriptionResults` groups run ids into bulk requests.
 *
 * @example
 * ```ts
 * import { batchTranscriptionResults, type BatchOptions } from 'camb-rx';
 * const options: BatchOptions = { apiKey, maxBatchSize: 20, maxWaitMs: 500 };
 * statuses$.pipe(batchTranscriptionResults(options));
 * ```
 */
export interface BatchOptions extends CambOptions {
  /**
   * Run ids per bulk request at most.
   * @default 50
   */
  maxBatchSize?: number | undefined;
  /**
   * How long a run id may wait for its batch to fill.
   * @default 1000
   */
  maxWaitMs?: number | undefined;
  /**
   * `'emit'`: every task that reached its end comes out as one value — its {@link TaskTranscript},
   * or a {@link TaskFailure} when it failed at CAMB (`CambTaskFailedError`), succeeded without a
   * run id (`CambSchemaError`), or its transcript could not be fetched (that request's error);
   * `TaskFailure` values that come in (from `mergeTasks` with `failures: 'emit'`) pass through.
   * `'error'`: only transcripts come out; failed tasks are dropped, and a failed transcript
   * request fails the stream.
   * @default 'error'
   */
  failures?: FailureMode | undefined;
}

/**
 * A transcript fetched for one task, as `batchTranscriptionResults` emits it.
 *
 * @example
 * ```ts
 * import { batchTranscriptionResults, mergeTasks, type TaskTranscript } from 'camb-rx';
 * const save = ({ taskId, result }: TaskTranscript) => store.set(taskId, result.transcript);
 * ids$.pipe(mergeTasks({ apiKey }), batchTranscriptionResults({ apiKey })).subscribe(save);
 * ```
 */
export interface TaskTranscript {
  /** The task's id. */
  readonly taskId: string;
  /** The run id of its SUCCESS status. */
  readonly runId: number;
  /** Its transcript. */
  readonly result: TranscriptionResult;
}

/**
 * Fetches the transcripts of the successful tasks in a status stream (from `mergeTasks`) in bulk:
 * run ids are grouped by count and by time into `POST /transcription-results` requests. A run id
 * the bulk answer leaves out is fetched on its own. An error of the input is passed on once the
 * transcripts of the tasks that succeeded before it are out.
 *
 * What is dropped: statuses that are not terminal (PENDING …) always; and, unless
 * `failures: 'emit'` makes each a {@link TaskFailure} value, every task that did not end in
 * SUCCESS with a run id (ERROR, TIMEOUT, PAYMENT_REQUIRED, any other terminal status).
 *
 * @param options - `apiKey`, connection options, `maxBatchSize`, `maxWaitMs`, `failures`
 * @returns an operator from {@link TaskStatus} to {@link TaskTranscript} (and {@link TaskFailure} with `failures: 'emit'`)
 * @throws TypeError at call time for a bad option
 * @example
 * ```ts
 * import { batchTranscriptionResults, mergeTasks } from 'camb-rx';
 * taskIds$.pipe(mergeTasks({ apiKey }), batchTranscriptionResults({ apiKey, maxBatchSize: 20 }))
 *   .subscribe(({ taskId, result }) => save(taskId, result));
 * ```
 */
export function batchTranscriptionResults(options: BatchOptions & { failures: 'emit' }): OperatorFunction<TaskStatus | TaskFailure, TaskTranscript | TaskFailure>;
export function batchTranscriptionResults(options: BatchOptions & { failures?: 'error' | undefined }): OperatorFunction<TaskStatus, TaskTranscript>;
export function batchTranscriptionResults(options: BatchOptions): OperatorFunction<TaskStatus | TaskFailure, TaskTranscript | TaskFailure>;
export function batchTranscriptionResults(options: BatchOptions): OperatorFunction<TaskStatus, TaskTranscript | TaskFailure> {
  assertKnownKeys(options, [...cambOptionKeys, ...batchOptionKeys]);
  return batchTranscriptionResultsWith(options, resolveCambOptions(options));
}

/** The names of {@link BatchOptions} beyond the connection's, for the check of unknown options. */
export const batchOptionKeys = optionKeys<Omit<BatchOptions, keyof CambOptions>>({ maxBatchSize: true, maxWaitMs: true, failures: true });

/** A SUCCESS status with its run id: one whose transcript can be fetched. */
type Succeeded = TaskStatus & { readonly runId: number };

const succeeded = (status: TaskStatus): status is Succeeded => status.done && status.status === TaskStatusValues.SUCCESS && status.runId !== undefined;

/** Why a task that reached its end has no transcript to fetch. */
function outcomeFailure(status: TaskStatus, connection: ResolvedCambOptions): TaskFailure {
  const { taskId, kind } = status;
  if (status.status !== TaskStatusValues.SUCCESS) return { taskId, kind, error: new CambTaskFailedError(status) };
  const problem = 'status SUCCESS came without run_id, so there is no result to fetch';
  return { taskId, kind, error: new CambSchemaError({ url: `${connection.baseUrl}/${kind}/${taskId}`, problem, bodyExcerpt: '' }) };
}

/** {@link batchTranscriptionResults} on a resolved connection. @internal */
export function batchTranscriptionResultsWith(
  options: Pick<BatchOptions, 'maxBatchSize' | 'maxWaitMs' | 'failures'>,
  connection: ResolvedCambOptions,
): OperatorFunction<TaskStatus | TaskFailure, TaskTranscript | TaskFailure> {
  const maxBatchSize = assertInteger('maxBatchSize', options.maxBatchSize ?? 50, 1, 1000);
  const maxWaitMs = assertMs('maxWaitMs', options.maxWaitMs ?? 1000, { min: 1 });
  const failureMode = options.failures ?? FailureModes.error;
  if (!isFailureMode(failureMode)) throw optionError('failures', "'error' or 'emit'", failureMode);
  const emitFailures = failureMode === FailureModes.emit;

  /** A transcript request's error: the stream's, or with `failures: 'emit'` each task's of the request. */
  const orFailures =
    (tasks: readonly Succeeded[]) =>
    <T>(source: Observable<T>): Observable<T | TaskFailure> =>
      emitFailures ? source.pipe(catchError((error: unknown) => from(tasks.map(({ taskId, kind }): TaskFailure => ({ taskId, kind, error }))))) : source;

  const fetchBatch = (batch: Succeeded[]) =>
    transcriptionResultsWith(
      batch.map((status) => status.runId),
      connection,
    ).pipe(
      mergeMap((results) =>
        from(batch).pipe(
          mergeMap((status) => {
            const { taskId, runId } = status;
            const result = results.get(runId);
            const found = result ? of(result) : transcriptionResultWith(runId, false, connection);
            return found.pipe(
              map((r) => ({ taskId, runId, result: r })),
              orFailures(result ? [] : [status]),
            );
          }),
        ),
      ),
      orFailures(batch),
    );

  return (input) =>
    defer(() => {
      // An error of the input (say, mergeTasks' CambMergeError at the end) waits until the
      // transcripts of every task that succeeded before it have been fetched.
      let inputError: { readonly error: unknown } | undefined;
      const values$ = input.pipe(
        catchError((error: unknown) => {
          inputError = { error };
          return EMPTY;
        }),
        // One subscription to the input, split in two: the successes to fetch, the rest.
        connect((shared$) => {
          const [successes$, others$] = partition(shared$, (value): value is Succeeded => !('error' in value) && succeeded(value));
          const transcripts$ = successes$.pipe(
            bufferTime(maxWaitMs, null, maxBatchSize, connection.scheduler),
            filter((batch) => batch.length > 0),
            mergeMap(fetchBatch),
          );
          const failures$ = emitFailures
            ? others$.pipe(
                filter((value) => 'error' in value || value.done),
                map((value) => ('error' in value ? value : outcomeFailure(value, connection))),
              )
            : EMPTY;
          return merge(transcripts$, failures$);
        }),
      );
      const inputError$ = defer(() => {
        const failed = inputError;
        return failed ? throwError(() => failed.error) : EMPTY;
      });
      return concat(values$, inputError$);
    });
}
