/**
 * The stable `code` of every camb-rx error: match on these, not on messages.
 *
 * @example
 * ```ts
 * import { CambErrorCodes, isCambError } from 'camb-rx';
 * if (isCambError(error) && error.code === CambErrorCodes.timeout) console.warn('still running at CAMB: resume later');
 * ```
 */
export const CambErrorCodes = {
  /** {@link CambHttpError}: CAMB answered a non-2xx status. */
  http: 'CAMB_HTTP_ERROR',
  /** {@link CambTransportError}: no usable response (network failure or request timeout). */
  transport: 'CAMB_TRANSPORT_ERROR',
  /** {@link CambSchemaError}: a 2xx body that broke the contract. */
  schema: 'CAMB_SCHEMA_ERROR',
  /** {@link CambTimeoutError}: the overall deadline passed before a terminal status. */
  timeout: 'CAMB_TIMEOUT',
  /** {@link CambTaskFailedError}: `throwOnFailure()` met a failure status. */
  taskFailed: 'CAMB_TASK_FAILED',
  /** {@link CambMergeError}: `mergeTasks` could not follow some tasks. */
  merge: 'CAMB_MERGE_ERROR',
} as const;

/**
 * One of {@link CambErrorCodes}: the `code` of a {@link CambError}.
 *
 * @example
 * ```ts
 * import { isCambError, type CambErrorCode } from 'camb-rx';
 * const seen = new Map<CambErrorCode, number>();
 * if (isCambError(e)) seen.set(e.code, (seen.get(e.code) ?? 0) + 1);
 * ```
 */
export type CambErrorCode = (typeof CambErrorCodes)[keyof typeof CambErrorCodes];
