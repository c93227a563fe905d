/**
 * What `mergeTasks` and `batchTranscriptionResults` do with a task that has no good outcome:
 * `error` reports it as an error (or to a callback), `emit` makes it a {@link TaskFailure} value of
 * the stream itself, so that every task comes out as exactly one value.
 *
 * @example
 * ```ts
 * import { FailureModes, mergeTasks } from 'camb-rx';
 * taskIds$.pipe(mergeTasks({ apiKey, failures: FailureModes.emit })).subscribe((v) => console.log('error' in v ? v.error : v.status));
 * ```
 */
export const FailureModes = {
  /** Report it as an error (`mergeTasks`: `CambMergeError` at the end, unless `onTaskError`), or drop it (`batchTranscriptionResults`). */
  error: 'error',
  /** Emit it as a {@link TaskFailure} value. */
  emit: 'emit',
} as const;

/**
 * One of {@link FailureModes}: `'error'` or `'emit'`.
 *
 * @example
 * ```ts
 * import type { FailureMode } from 'camb-rx';
 * const failures: FailureMode = 'emit';
 * ```
 */
export type FailureMode = (typeof FailureModes)[keyof typeof FailureModes];

/** Tells a {@link FailureMode}. @internal */
export const isFailureMode = (value: unknown): value is FailureMode => value === FailureModes.error || value === FailureModes.emit;
