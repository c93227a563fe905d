export { taskStatus$ } from './status/task-status-stream.js';
export { transcriptionStatus$ } from './status/transcription-status.js';
export { retryTransport } from './operators/retry-transport.js';
export { distinctStatus } from './operators/distinct-status.js';
export { throwOnFailure } from './operators/throw-on-failure.js';
export { isRetryableError } from './retry/retryable-error.js';
export { CambError } from './errors/camb-error.js';
export { CambHttpError, type CambHttpErrorDetails } from './errors/camb-http-error.js';
export { CambTransportError, type TransportFailure } from './errors/camb-transport-error.js';
export { CambSchemaError, type SchemaIssue } from './errors/camb-schema-error.js';
export { CambTimeoutError } from './errors/camb-timeout-error.js';
export { CambTaskFailedError } from './errors/camb-task-failed-error.js';
export { CambErrorCodes, type CambErrorCode } from './errors/error-codes.js';
export {
  isCambError,
  isCambHttpError,
  isCambTransportError,
  isCambSchemaError,
  isCambTimeoutError,
  isCambTaskFailedError,
  isCambMergeError,
} from './errors/guards.js';
export { TaskKinds, isTaskKind, type TaskKind } from './wire/task-kind.js';
export { TaskStatusValues, isTerminalStatus, type TaskStatus, type TaskStatusValue } from './wire/task-status.js';
export { DEFAULT_BASE_URL, type CambOptions } from './connection/connection-options.js';
export { DEFAULT_POLL_BACKOFF, type PollOptions, type PollContext, type PollInterval } from './status/status-options.js';
export { MIN_POLL_INTERVAL_MS } from './status/poll-interval-floor.js';
export type { RetryOptions, RetryEvent } from './retry/retry-options.js';
export type { Backoff } from './timing/backoff.js';
export type { FetchLike, FetchInit, FetchResponse } from './http/fetch-like.js';
export { mergeTasks } from './merge/merge-tasks.js';
export type { MergeOptions, MergeBehaviour } from './merge/merge-options.js';
export { FailureModes, type FailureMode } from './merge/failure-mode.js';
export { createCambClient, type CambClient } from './client/create-camb-client.js';
export { adaptiveCadence, type AdaptiveCadence, type AdaptiveCadenceOptions } from './cadence/adaptive-cadence.js';
export { DEFAULT_DURATION_PRIOR, type DurationPrior } from './cadence/duration-prior.js';
export type { PollCadence, CadenceObservation, CadenceTrack } from './cadence/poll-cadence.js';
export type { CadenceSnapshot } from './cadence/cadence-snapshot.js';
export type { ClientCadenceOptions } from './cadence/client-cadences.js';
export type { BudgetOptions } from './budget/budget-options.js';
export type { StreamOptions } from './status/status-options.js';
export { CambMergeError, type TaskFailure } from './errors/camb-merge-error.js';
export { createTranscription$, isSafeToRetryCreate } from './transcription/create-transcription.js';
export { transcriptionResult$, transcriptionResults$, type ResultOptions } from './transcription/transcription-result.js';
export { transcribe$, type TranscribeEvent, type TranscribeOptions } from './transcription/transcribe.js';
export { batchTranscriptionResults, type BatchOptions, type TaskTranscript } from './transcription/batch-transcription-results.js';
export type { TranscriptionRequest } from './transcription/transcription-request.js';
export type { TranscriptionResult, TranscriptSegment, TranscriptWord } from './wire/transcription-result.js';
