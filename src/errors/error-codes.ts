/**
 * The stable `code` of every camb-rx error: match on these, not on messages.
 *
 * @example
 * ```ts
 * import { CambErrorCodes } from 'camb-rx';
 * if (error.code === CambErrorCodes.timeout) resumeLater(error.lastStatus);
 * ```
 */
export const CambErrorCodes = {
  http: 'CAMB_HTTP_ERROR',
  transport: 'CAMB_TRANSPORT_ERROR',
  schema: 'CAMB_SCHEMA_ERROR',
  timeout: 'CAMB_TIMEOUT',
  taskFailed: 'CAMB_TASK_FAILED',
  merge: 'CAMB_MERGE_ERROR',
} as const;

/** One of {@link CambErrorCodes}. */
export type CambErrorCode = (typeof CambErrorCodes)[keyof typeof CambErrorCodes];
