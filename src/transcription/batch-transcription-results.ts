import { EMPTY, bufferTime, catchError, concat, defer, filter, from, map, mergeMap, throwError, type OperatorFunction } from 'rxjs';
import { assertInteger, assertMs } from '../util/assert-option.js';
import { resolveCambOptions, type CambOptions, type ResolvedCambOptions } from '../connection/connection-options.js';
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
 * the bulk answer leaves out is fetched on its own. Other statuses are ignored. An error of the
 * input is passed on once the transcripts of the tasks that succeeded before it are out.
 *
 * @param options - `apiKey`, connection options, `maxBatchSize`, `maxWaitMs`
 * @returns an operator from {@link TaskStatus} to {@link TaskTranscript}
 * @throws TypeError at call time for a bad option
 * @example
 * ```ts
 * import { batchTranscriptionResults, mergeTasks } from 'camb-rx';
 * taskIds$.pipe(mergeTasks({ apiKey }), batchTranscriptionResults({ apiKey, maxBatchSize: 20 }))
 *   .subscribe(({ taskId, result }) => save(taskId, result));
 * ```
 */
export function batchTranscriptionResults(options: BatchOptions): OperatorFunction<TaskStatus, TaskTranscript> {
  return batchTranscriptionResultsWith(options, resolveCambOptions(options));
}

/** {@link batchTranscriptionResults} on a resolved connection. @internal */
export function batchTranscriptionResultsWith(options: Pick<BatchOptions, 'maxBatchSize' | 'maxWaitMs'>, connection: ResolvedCambOptions): OperatorFunction<TaskStatus, TaskTranscript> {
  const maxBatchSize = assertInteger('maxBatchSize', options.maxBatchSize ?? 50, 1, 1000);
  const maxWaitMs = assertMs('maxWaitMs', options.maxWaitMs ?? 1000, { min: 1 });

  const fetchBatch = (batch: TaskStatus[]) => {
    const runIds = batch.map((status) => status.runId as number);
    return transcriptionResultsWith(runIds, connection).pipe(
      mergeMap((results) =>
        from(batch).pipe(
          mergeMap(({ taskId, runId }) => {
            const result = results.get(runId as number);
            const found = result ? from([result]) : transcriptionResultWith(runId as number, false, connection);
            return found.pipe(map((r) => ({ taskId, runId: runId as number, result: r })));
          }),
        ),
      ),
    );
  };

  return (statuses) =>
    defer(() => {
      // An error of the input (say, mergeTasks' CambMergeError at the end) waits until the
      // transcripts of every task that succeeded before it have been fetched.
      let inputError: { readonly error: unknown } | undefined;
      const transcripts$ = statuses.pipe(
        catchError((error: unknown) => {
          inputError = { error };
          return EMPTY;
        }),
        filter((s) => s.done && s.status === TaskStatusValues.SUCCESS && s.runId !== undefined),
        bufferTime(maxWaitMs, null, maxBatchSize, connection.scheduler),
        filter((batch) => batch.length > 0),
        mergeMap(fetchBatch),
      );
      const inputError$ = defer(() => {
        const failed = inputError;
        return failed ? throwError(() => failed.error) : EMPTY;
      });
      return concat(transcripts$, inputError$);
    });
}
