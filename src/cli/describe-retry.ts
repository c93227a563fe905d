import { isCambHttpError, isCambTransportError, type RetryEvent } from '../index.js';
import { errorLabel } from './describe-outcome.js';

/**
 * A retry as a note for people: `retrying (503), 2nd attempt in 1.2 s`, with `(Retry-After)`
 * when the server chose the wait.
 *
 * @param event - what `onRetry` was told
 * @returns the note, without a newline
 */
export function describeRetry({ error, attempt, delayMs, serverDirected }: RetryEvent): string {
  const why = isCambHttpError(error) ? String(error.status) : errorLabel(error);
  const wait = `${(Math.max(0, delayMs) / 1000).toFixed(1)} s`;
  return `retrying (${why}), ${ordinal(attempt + 1)} attempt in ${wait}${serverDirected ? ' (Retry-After)' : ''}`;
}

/**
 * The task a failed status read was for: the last segment of the request's path
 * (`GET …/transcribe/{taskId}`), when the error says which request it was.
 *
 * @param error - the error being retried
 * @returns the task id, or undefined
 */
export function requestTaskId(error: unknown): string | undefined {
  if (!isCambHttpError(error) && !isCambTransportError(error)) return undefined;
  if (!URL.canParse(error.url)) return undefined;
  const segment = new URL(error.url).pathname.split('/').at(-1);
  return segment ? decodeURIComponent(segment) : undefined;
}

/** 1st, 2nd, 3rd, 4th, …, 11th, 12th, 13th, …, 21st. */
function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
