import { CambHttpError } from '../errors/camb-http-error.js';
import { isCambHttpError } from '../errors/guards.js';
import { fullJitterDelay } from '../timing/backoff.js';
import type { ResolvedRetryOptions } from './retry-options.js';

/**
 * The one retry rule, shared by the `retryTransport` operator and the engine behind `mergeTasks`:
 * past `maxRetries` consecutive attempts, or for an error `retryOn` refuses, the error is thrown
 * on; a `Retry-After` above `maxRetryAfterMs` throws a `CambHttpError` that says so; else the wait
 * is the server's `Retry-After` or a full-jitter backoff, told to `onRetry` first.
 *
 * @param error - what the request failed with
 * @param attempt - 1-based number of this retry among the consecutive ones
 * @param options - the resolved retry options
 * @returns the delay before the retry, in whole ms
 * @throws the error to fail with, when the request is not retried
 * @internal
 */
export function retryDelay(error: unknown, attempt: number, options: ResolvedRetryOptions): number {
  const { maxRetries, baseDelayMs, maxDelayMs, maxRetryAfterMs, retryOn, onRetry } = options;
  if (attempt > maxRetries || !retryOn(error)) throw error;
  const retryAfterMs = isCambHttpError(error) ? error.retryAfterMs : undefined;
  if (isCambHttpError(error) && retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) {
    const message = `${error.message} — its Retry-After of ${retryAfterMs} ms is above maxRetryAfterMs (${maxRetryAfterMs} ms), so it was not retried`;
    throw new CambHttpError(error, message, { cause: error });
  }
  // Whole milliseconds: what a timer can wait, and what onRetry reports.
  const delayMs = Math.round(retryAfterMs ?? fullJitterDelay(attempt, baseDelayMs, maxDelayMs));
  onRetry?.({ error, attempt, delayMs, serverDirected: retryAfterMs !== undefined });
  return delayMs;
}
