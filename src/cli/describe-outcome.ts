import { isCambHttpError, isCambSchemaError, isCambTimeoutError, isCambTransportError, type TaskStatus } from '../index.js';

/**
 * Why a task failed, in one line: its exception reason and CAMB's message.
 *
 * @param status - a status
 * @returns e.g. `SOURCE_TOO_LONG: Audio over 2 h`, or '' when there is nothing to say
 */
export function failureDetail(status: TaskStatus): string {
  const message = typeof status.message === 'string' ? status.message : status.message && JSON.stringify(status.message);
  return [status.exceptionReason, message].filter(Boolean).join(': ');
}

/**
 * A short label for why a task could not be followed, for the status column.
 *
 * @param error - the task's stream error
 * @returns e.g. `HTTP 404`, `network error`
 */
export function errorLabel(error: unknown): string {
  if (isCambHttpError(error)) return `HTTP ${error.status}`;
  if (isCambTransportError(error)) return error.failure === 'timeout' ? 'request timeout' : 'network error';
  if (isCambTimeoutError(error)) return 'deadline passed';
  if (isCambSchemaError(error)) return 'bad response';
  return error instanceof TypeError ? 'invalid id' : 'error';
}

/**
 * Whether CAMB refused the API key (401): then no task can be followed, and one line says so.
 *
 * @param error - anything thrown
 * @returns true for a `CambHttpError` with status 401
 */
export function isUnauthorized(error: unknown): boolean {
  return isCambHttpError(error) && error.status === 401;
}

/**
 * An error's message; camb-rx errors never hold the API key. A refused key gets one line that
 * says what to check.
 *
 * @param error - anything thrown
 * @returns its message
 */
export function errorMessage(error: unknown): string {
  if (isUnauthorized(error)) return 'CAMB refused the API key (401 Unauthorized): check CAMB_API_KEY, or --api-key';
  return error instanceof Error ? error.message : String(error);
}

/**
 * An error as a plain object for JSON output: camb-rx errors by their own key-free `toJSON`.
 *
 * @param error - anything thrown
 * @returns `{ name, message, ... }`
 */
export function errorJson(error: unknown): Record<string, unknown> {
  if (error instanceof Error && typeof (error as { toJSON?: unknown }).toJSON === 'function') {
    return (error as Error & { toJSON(): Record<string, unknown> }).toJSON();
  }
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
}
