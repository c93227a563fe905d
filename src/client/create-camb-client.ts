import type { Observable, OperatorFunction } from 'rxjs';
import { budgetOptionKeys, resolveBudgetOptions, type BudgetOptions } from '../budget/budget-options.js';
import { clientCadences, type ClientCadenceOptions } from '../cadence/client-cadences.js';
import type { AdaptiveCadence } from '../cadence/adaptive-cadence.js';
import { RequestBudget, maxPauseOf } from '../budget/request-budget.js';
import { mergeBehaviourKeys, resolveMergeBehaviour, type MergeBehaviour } from '../merge/merge-options.js';
import { mergeTasksWith } from '../merge/merge-tasks.js';
import { cambOptionKeys, resolveCambOptions, type CambOptions, type ResolvedCambOptions } from '../connection/connection-options.js';
import { pollOptionKeys, resolvePollOptions, type StreamOptions } from '../status/status-options.js';
import { taskStatusWith } from '../status/task-status-stream.js';
import { batchOptionKeys, batchTranscriptionResultsWith, type BatchOptions, type TaskTranscript } from '../transcription/batch-transcription-results.js';
import { createTranscriptionWith } from '../transcription/create-transcription.js';
import { transcribeWith, withCreateGrace, type TranscribeEvent } from '../transcription/transcribe.js';
import type { TranscriptionRequest } from '../transcription/transcription-request.js';
import { resultOptionKeys, transcriptionResultWith, transcriptionResultsWith, wordLevelOption } from '../transcription/transcription-result.js';
import { assertKnownKeys } from '../util/assert-known-keys.js';
import { TaskKinds, type TaskKind } from '../wire/task-kind.js';
import type { TranscriptionResult } from '../wire/transcription-result.js';
import type { TaskStatus } from '../wire/task-status.js';
import type { TaskFailure } from '../errors/camb-merge-error.js';

/**
 * camb-rx with one connection and one request budget bound: every stream it makes shares the
 * budget, so one 429 holds them all. The API key stays inside; the client has no field that shows it.
 *
 * @example
 * ```ts
 * import { createCambClient, type CambClient } from 'camb-rx';
 * const camb: CambClient = createCambClient({ apiKey, maxConcurrentRequests: 8 });
 * camb.transcriptionStatus$(taskId).subscribe((s) => console.log(s.status, camb.budget.waiting));
 * ```
 */
export interface CambClient {
  /**
   * `transcriptionStatus$` on this client's connection and budget.
   * @param taskId - the `task_id` from `POST /transcribe`
   * @param options - polling options; the connection is the client's
   * @returns a cold observable of {@link TaskStatus}
   */
  transcriptionStatus$(taskId: string, options?: StreamOptions): Observable<TaskStatus>;
  /**
   * `taskStatus$` on this client's connection and budget.
   * @param kind - the task kind, e.g. `'dub'`
   * @param taskId - the task id CAMB returned on create
   * @param options - polling options; the connection is the client's
   * @returns a cold observable of {@link TaskStatus}
   */
  taskStatus$(kind: TaskKind, taskId: string, options?: StreamOptions): Observable<TaskStatus>;
  /**
   * `mergeTasks` on this client's connection and budget: every subscription shares the client's
   * budget rather than getting its own.
   * @param options - polling options and `kind`, `failFast`, `onTaskError`, `failures`
   * @returns an operator from task ids to {@link TaskStatus} values (and {@link TaskFailure} values with `failures: 'emit'`)
   */
  mergeTasks(options: StreamOptions & MergeBehaviour & { failures: 'emit' }): OperatorFunction<string, TaskStatus | TaskFailure>;
  /**
   * `mergeTasks` on this client's connection and budget, failures reported as errors.
   * @param options - polling options and `kind`, `failFast`, `onTaskError`
   * @returns an operator from task ids to {@link TaskStatus} values
   */
  mergeTasks(options?: StreamOptions & MergeBehaviour & { failures?: 'error' | undefined }): OperatorFunction<string, TaskStatus>;
  /**
   * `mergeTasks` on this client's connection and budget, with failures as `failures` says.
   * @param options - polling options and `kind`, `failFast`, `onTaskError`, `failures`
   * @returns an operator from task ids to {@link TaskStatus} and {@link TaskFailure} values
   */
  mergeTasks(options?: StreamOptions & MergeBehaviour): OperatorFunction<string, TaskStatus | TaskFailure>;
  /**
   * `createTranscription$` on this client's connection and budget.
   * @param request - language and exactly one of `mediaUrl` / `mediaFile`
   * @returns emits `{ taskId }` once and completes
   */
  createTranscription$(request: TranscriptionRequest): Observable<{
    /** The new task's id, for the status functions. */
    taskId: string;
  }>;
  /**
   * `transcriptionResult$` on this client's connection and budget.
   * @param runId - the `runId` of a SUCCESS status
   * @param options - `wordLevelTimestamps` (default false)
   * @returns emits the {@link TranscriptionResult} once and completes
   */
  transcriptionResult$(runId: number, options?: { wordLevelTimestamps?: boolean | undefined }): Observable<TranscriptionResult>;
  /**
   * `transcriptionResults$` on this client's connection and budget.
   * @param runIds - run ids of SUCCESS statuses (at least one)
   * @returns emits a map from run id to {@link TranscriptionResult} once and completes
   */
  transcriptionResults$(runIds: readonly number[]): Observable<ReadonlyMap<number, TranscriptionResult>>;
  /**
   * `transcribe$` on this client's connection and budget.
   * @param request - language and exactly one of `mediaUrl` / `mediaFile`
   * @param options - polling options and `wordLevelTimestamps`
   * @returns a cold observable of {@link TranscribeEvent}
   */
  transcribe$(request: TranscriptionRequest, options?: StreamOptions & { wordLevelTimestamps?: boolean | undefined }): Observable<TranscribeEvent>;
  /**
   * `batchTranscriptionResults` on this client's connection and budget.
   * @param options - `maxBatchSize`, `maxWaitMs` and `failures`
   * @returns an operator from {@link TaskStatus} to {@link TaskTranscript} (and {@link TaskFailure} with `failures: 'emit'`)
   */
  batchTranscriptionResults(options: Pick<BatchOptions, 'maxBatchSize' | 'maxWaitMs'> & { failures: 'emit' }): OperatorFunction<TaskStatus | TaskFailure, TaskTranscript | TaskFailure>;
  /**
   * `batchTranscriptionResults` on this client's connection and budget, failed tasks dropped.
   * @param options - `maxBatchSize` and `maxWaitMs`
   * @returns an operator from {@link TaskStatus} to {@link TaskTranscript}
   */
  batchTranscriptionResults(options?: Pick<BatchOptions, 'maxBatchSize' | 'maxWaitMs'> & { failures?: 'error' | undefined }): OperatorFunction<TaskStatus, TaskTranscript>;
  /**
   * `batchTranscriptionResults` on this client's connection and budget, failures as `failures` says.
   * @param options - `maxBatchSize`, `maxWaitMs` and `failures`
   * @returns an operator to {@link TaskTranscript} and {@link TaskFailure} values
   */
  batchTranscriptionResults(options?: Pick<BatchOptions, 'maxBatchSize' | 'maxWaitMs' | 'failures'>): OperatorFunction<TaskStatus | TaskFailure, TaskTranscript | TaskFailure>;
  /**
   * The adaptive cadence this client's streams of `kind` share when they get no `interval`
   * (made on first use); snapshot it to resume learning after a restart.
   * @param kind - the task kind; default `'transcribe'`
   * @returns the kind's {@link AdaptiveCadence}
   */
  cadence(kind?: TaskKind): AdaptiveCadence;
  /** The shared budget now: requests running, and requests waiting for it. */
  readonly budget: {
    /** Requests in flight now. */
    readonly running: number;
    /** Requests queued for the budget now. */
    readonly waiting: number;
  };
}

/**
 * Binds connection options once and shares one request budget across every stream of the client.
 * Made for dependency injection: provide one per app (an Angular provider, a Node service).
 *
 * Streams without `interval` share one {@link adaptiveCadence} per task kind, which learns the
 * kind's durations from them (`client.cadence(kind)`; `cadences` sets their options or snapshots).
 *
 * @param options - `apiKey`, connection, budget and cadence options
 * @returns a {@link CambClient}
 * @throws TypeError at call time for a bad option
 * @example
 * ```ts
 * import { createCambClient } from 'camb-rx';
 * const camb = createCambClient({ apiKey: process.env.CAMB_API_KEY!, maxRequestsPerSecond: 5 });
 * camb.transcriptionStatus$(taskId).subscribe((s) => console.log(s.status));
 * ```
 */
export function createCambClient(options: CambOptions & BudgetOptions & ClientCadenceOptions): CambClient {
  assertKnownKeys(options, [...cambOptionKeys, ...budgetOptionKeys, 'cadences']);
  const resolved = resolveCambOptions(options);
  const shared = new RequestBudget(resolveBudgetOptions(options), resolved.scheduler, maxPauseOf(resolved));
  const connection: ResolvedCambOptions = { ...resolved, budget: shared };
  const cadence = clientCadences(options.cadences);
  /** Stream options with the kind's adaptive cadence as the default `interval`. */
  const learning = <T extends StreamOptions>(kind: TaskKind, streamOptions: T): T => ({ ...streamOptions, interval: streamOptions.interval ?? cadence(kind) });
  const taskStatus$ = (kind: TaskKind, taskId: string, streamOptions: StreamOptions = {}) => {
    assertKnownKeys(streamOptions, pollOptionKeys);
    return taskStatusWith(kind, taskId, resolvePollOptions(learning(kind, streamOptions), connection));
  };

  return {
    taskStatus$,
    transcriptionStatus$: (taskId, streamOptions) => taskStatus$(TaskKinds.transcribe, taskId, streamOptions),
    mergeTasks: ((mergeOptions: StreamOptions & MergeBehaviour = {}) => {
      assertKnownKeys(mergeOptions, [...pollOptionKeys, ...mergeBehaviourKeys]);
      const behaviour = resolveMergeBehaviour(mergeOptions);
      return mergeTasksWith(resolvePollOptions(learning(behaviour.kind, mergeOptions), connection), behaviour, () => shared);
    }) as CambClient['mergeTasks'],
    createTranscription$: (request) => createTranscriptionWith(request, connection),
    transcriptionResult$: (runId, resultOptions = {}) => {
      assertKnownKeys(resultOptions, resultOptionKeys);
      return transcriptionResultWith(runId, wordLevelOption(resultOptions.wordLevelTimestamps), connection);
    },
    transcriptionResults$: (runIds) => transcriptionResultsWith(runIds, connection),
    transcribe$: (request, streamOptions = {}) => {
      assertKnownKeys(streamOptions, [...pollOptionKeys, ...resultOptionKeys]);
      return transcribeWith(request, withCreateGrace(learning(TaskKinds.transcribe, streamOptions)), connection);
    },
    batchTranscriptionResults: ((batchOptions: Pick<BatchOptions, 'maxBatchSize' | 'maxWaitMs' | 'failures'> = {}) => {
      assertKnownKeys(batchOptions, batchOptionKeys);
      return batchTranscriptionResultsWith(batchOptions, connection);
    }) as CambClient['batchTranscriptionResults'],
    cadence: (kind = TaskKinds.transcribe) => cadence(kind),
    budget: {
      get running() {
        return shared.running;
      },
      get waiting() {
        return shared.waiting;
      },
    },
  };
}
