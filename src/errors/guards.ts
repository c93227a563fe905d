import type { CambError } from './camb-error.js';
import type { CambHttpError } from './camb-http-error.js';
import type { CambMergeError } from './camb-merge-error.js';
import type { CambSchemaError } from './camb-schema-error.js';
import type { CambTaskFailedError } from './camb-task-failed-error.js';
import type { CambTimeoutError } from './camb-timeout-error.js';
import type { CambTransportError } from './camb-transport-error.js';
import { CambErrorCodes, type CambErrorCode } from './error-codes.js';

/* Guards read `name` and `code`, not `instanceof`, so an error thrown by the CJS copy of camb-rx
   is recognised by the ESM copy and the other way round. */
const hasCode = (error: unknown, name: string, code: CambErrorCode): boolean =>
  error instanceof Error && error.name === name && (error as { code?: unknown }).code === code;

/**
 * Tells whether a value is any camb-rx error.
 *
 * @param error - anything caught
 * @returns true for every {@link CambError}, from either module format
 * @example
 * ```ts
 * import { isCambError } from 'camb-rx';
 * import { catchError, of, throwError } from 'rxjs';
 * catchError((e) => (isCambError(e) ? of(fallback) : throwError(() => e)));
 * ```
 */
export function isCambError(error: unknown): error is CambError {
  // Read at call time, not kept in a module-level Set: that would survive tree-shaking in every bundle.
  return error instanceof Error && (Object.values(CambErrorCodes) as unknown[]).includes((error as { code?: unknown }).code) && error.name.startsWith('Camb');
}

/**
 * Tells whether a value is a {@link CambHttpError}.
 * @param error - anything caught
 * @returns true for an HTTP error status from CAMB
 * @example
 * ```ts
 * import { isCambHttpError } from 'camb-rx';
 * if (isCambHttpError(e) && e.status === 401) askForKey();
 * ```
 */
export const isCambHttpError = (error: unknown): error is CambHttpError => hasCode(error, 'CambHttpError', CambErrorCodes.http);

/**
 * Tells whether a value is a {@link CambTransportError}.
 * @param error - anything caught
 * @returns true for a network failure or request timeout
 * @example
 * ```ts
 * import { isCambTransportError } from 'camb-rx';
 * if (isCambTransportError(e)) showOffline();
 * ```
 */
export const isCambTransportError = (error: unknown): error is CambTransportError =>
  hasCode(error, 'CambTransportError', CambErrorCodes.transport);

/**
 * Tells whether a value is a {@link CambSchemaError}.
 * @param error - anything caught
 * @returns true when a response body broke the contract
 * @example
 * ```ts
 * import { isCambSchemaError } from 'camb-rx';
 * if (isCambSchemaError(e)) report(e.issues);
 * ```
 */
export const isCambSchemaError = (error: unknown): error is CambSchemaError => hasCode(error, 'CambSchemaError', CambErrorCodes.schema);

/**
 * Tells whether a value is a {@link CambTimeoutError}.
 * @param error - anything caught
 * @returns true when the overall deadline passed
 * @example
 * ```ts
 * import { isCambTimeoutError } from 'camb-rx';
 * if (isCambTimeoutError(e)) resume(e.taskId, e.lastStatus);
 * ```
 */
export const isCambTimeoutError = (error: unknown): error is CambTimeoutError => hasCode(error, 'CambTimeoutError', CambErrorCodes.timeout);

/**
 * Tells whether a value is a {@link CambTaskFailedError}.
 * @param error - anything caught
 * @returns true when `throwOnFailure()` reported a failed task
 * @example
 * ```ts
 * import { isCambTaskFailedError } from 'camb-rx';
 * if (isCambTaskFailedError(e)) console.log(e.exceptionReason);
 * ```
 */
export const isCambTaskFailedError = (error: unknown): error is CambTaskFailedError =>
  hasCode(error, 'CambTaskFailedError', CambErrorCodes.taskFailed);

/**
 * Tells whether a value is a {@link CambMergeError}.
 * @param error - anything caught
 * @returns true when `mergeTasks` reports tasks it could not follow
 * @example
 * ```ts
 * import { isCambMergeError } from 'camb-rx';
 * if (isCambMergeError(e)) retryLater(e.failures.map((f) => f.taskId));
 * ```
 */
export const isCambMergeError = (error: unknown): error is CambMergeError => hasCode(error, 'CambMergeError', CambErrorCodes.merge);
