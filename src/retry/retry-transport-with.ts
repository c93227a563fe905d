import { identity, retry, throwError, timer, type MonoTypeOperatorFunction } from 'rxjs';
import { CambHttpError } from '../errors/camb-http-error.js';
import { isCambHttpError } from '../errors/guards.js';
import { fullJitterDelay } from '../timing/backoff.js';
import type { ResolvedRetryOptions } from './retry-options.js';

/**
 * {@link retryTransport} with options already resolved, for the streams that resolve them once;
 * `false` (the connection's `retry: false`) passes everything through.
 */
export function retryTransportWith<T>(options: ResolvedRetryOptions | false): MonoTypeOperatorFunction<T> {
  if (!options) return identity;
  const { maxRetries, baseDelayMs, maxDelayMs, maxRetryAfterMs, retryOn, onRetry, scheduler } = options;
  return retry({
    count: maxRetries,
    resetOnSuccess: true,
    delay: (error: unknown, attempt: number) => {
      if (!retryOn(error)) return throwError(() => error);
      const retryAfterMs = isCambHttpError(error) ? error.retryAfterMs : undefined;
      if (isCambHttpError(error) && retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) {
        const message = `${error.message} — its Retry-After of ${retryAfterMs} ms is above maxRetryAfterMs (${maxRetryAfterMs} ms), so it was not retried`;
        return throwError(() => new CambHttpError(error, message, { cause: error }));
      }
      // Whole milliseconds: what a timer can wait, and what onRetry reports.
      const delayMs = Math.round(retryAfterMs ?? fullJitterDelay(attempt, baseDelayMs, maxDelayMs));
      onRetry?.({ error, attempt, delayMs, serverDirected: retryAfterMs !== undefined });
      return timer(delayMs, scheduler);
    },
  });
}
