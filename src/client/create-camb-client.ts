import type { Observable, OperatorFunction } from 'rxjs';
import { resolveBudgetOptions, type BudgetOptions } from '../budget/budget-options.js';
import { RequestBudget } from '../budget/request-budget.js';
import { mergeTasksWith, resolveMergeBehaviour, type MergeBehaviour } from '../operators/merge-tasks.js';
import { resolveCambOptions, type CambOptions, type ResolvedCambOptions } from '../options/camb-options.js';
import { resolvePollOptions, type StreamOptions } from '../options/poll-options.js';
import { watchTask } from '../status/task-status-stream.js';
import { batchWith, type BatchOptions, type TaskTranscript } from '../transcription/batch-transcription-results.js';
import { createWith } from '../transcription/create-transcription.js';
import { transcribeWith, withCreateGrace, type TranscribeEvent } from '../transcription/transcribe.js';
import type { TranscriptionRequest } from '../transcription/transcription-request.js';
import { resultWith, resultsWith } from '../transcription/transcription-result.js';
import { TaskKinds, type TaskKind } from '../wire/task-kind.js';
import type { TranscriptionResult } from '../wire/transcription-result.js';
import type { TaskStatus } from '../wire/task-status.js';

/**
 * camb-rx with one connection and one request budget bound: every stream it makes shares the
 * budget, so one 429 holds them all. The API key stays inside; the client has no field that shows it.
 */
export interface CambClient {
  /** `transcriptionStatus$` on this client's connection and budget. */
  transcriptionStatus$(taskId: string, options?: StreamOptions): Observable<TaskStatus>;
  /** `taskStatus$` on this client's connection and budget. */
  taskStatus$(kind: TaskKind, taskId: string, options?: StreamOptions): Observable<TaskStatus>;
  /** `mergeTasks` on this client's connection and budget. */
  mergeTasks(options?: StreamOptions & MergeBehaviour): OperatorFunction<string, TaskStatus>;
  /** `createTranscription$` on this client's connection and budget. */
  createTranscription$(request: TranscriptionRequest): Observable<{ taskId: string }>;
  /** `transcriptionResult$` on this client's connection and budget. */
  transcriptionResult$(runId: number, options?: { wordLevelTimestamps?: boolean }): Observable<TranscriptionResult>;
  /** `transcriptionResults$` on this client's connection and budget. */
  transcriptionResults$(runIds: readonly number[]): Observable<ReadonlyMap<number, TranscriptionResult>>;
  /** `transcribe$` on this client's connection and budget. */
  transcribe$(request: TranscriptionRequest, options?: StreamOptions & { wordLevelTimestamps?: boolean }): Observable<TranscribeEvent>;
  /** `batchTranscriptionResults` on this client's connection and budget. */
  batchTranscriptionResults(options?: Pick<BatchOptions, 'maxBatchSize' | 'maxWaitMs'>): OperatorFunction<TaskStatus, TaskTranscript>;
  /** The shared budget now: requests running, and requests waiting for it. */
  readonly budget: { readonly running: number; readonly waiting: number };
}

/**
 * Binds connection options once and shares one request budget across every stream of the client.
 * Made for dependency injection: provide one per app (an Angular provider, a Node service).
 *
 * @param options - `apiKey`, connection and budget options
 * @returns a {@link CambClient}
 * @throws TypeError at call time for a bad option
 * @example
 * ```ts
 * import { createCambClient } from 'camb-rx';
 * const camb = createCambClient({ apiKey: process.env.CAMB_API_KEY!, maxRequestsPerSecond: 5 });
 * camb.transcriptionStatus$(taskId).subscribe((s) => console.log(s.status));
 * ```
 */
export function createCambClient(options: CambOptions & BudgetOptions): CambClient {
  const resolved = resolveCambOptions(options);
  const shared = new RequestBudget(resolveBudgetOptions(options), resolved.scheduler);
  const connection: ResolvedCambOptions = { ...resolved, budget: shared };
  const taskStatus$ = (kind: TaskKind, taskId: string, streamOptions: StreamOptions = {}) =>
    watchTask(kind, taskId, resolvePollOptions(streamOptions, connection));

  return {
    taskStatus$,
    transcriptionStatus$: (taskId, streamOptions) => taskStatus$(TaskKinds.transcribe, taskId, streamOptions),
    mergeTasks: (mergeOptions = {}) => mergeTasksWith(resolvePollOptions(mergeOptions, connection), resolveMergeBehaviour(mergeOptions), () => shared),
    createTranscription$: (request) => createWith(request, connection),
    transcriptionResult$: (runId, resultOptions = {}) => resultWith(runId, resultOptions.wordLevelTimestamps === true, connection),
    transcriptionResults$: (runIds) => resultsWith(runIds, connection),
    transcribe$: (request, streamOptions = {}) => transcribeWith(request, withCreateGrace(streamOptions), connection),
    batchTranscriptionResults: (batchOptions = {}) => batchWith(batchOptions, connection),
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
