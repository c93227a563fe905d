import { identity, retry, throwError, timer, type MonoTypeOperatorFunction } from 'rxjs';
import { CambHttpError } from '../errors/camb-http-error.js';
import { isCambHttpError } from '../errors/guards.js';
import { resolveRetryOptions, type ResolvedRetryOptions, type RetryOptions } from '../options/retry-options.js';
import { fullJitterDelay } from '../timing/backoff.js';

/**
 * Retries what a retry can fix — transport errors, 408, 429 and 5xx by default — with capped,
 * fully jittered exponential backoff, honouring `Retry-After` exactly (no jitter) up to
 * `maxRetryAfterMs`. The count is of consecutive failures: it resets after a value. Other errors
 * pass through at once. Unsubscribing cancels a pending retry.
 *
 * @param config - {@link RetryOptions}, or a number meaning `maxRetries`
 * @returns an operator that resubscribes to its source after a retryable error
 * @throws TypeError at call time for bad options
 * @example
 * ```ts
 * import { retryTransport } from 'camb-rx';
 * import { fromFetch } from 'rxjs/fetch';
 * fromFetch(url).pipe(retryTransport({ maxRetries: 3, onRetry: (e) => console.warn(e.delayMs) }));
 * ```
 */
export function retryTransport<T>(config?: RetryOptions | number): MonoTypeOperatorFunction<T> {
  return retryWith(resolveRetryOptions(config));
}

/**
 * {@link retryTransport} with options already resolved, for the streams that resolve them once;
 * `false` (the connection's `retry: false`) passes everything through.
 */
export function retryWith<T>(options: ResolvedRetryOptions | false): MonoTypeOperatorFunction<T> {
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
      const delayMs = retryAfterMs ?? fullJitterDelay(attempt, baseDelayMs, maxDelayMs);
      onRetry?.({ error, attempt, delayMs, serverDirected: retryAfterMs !== undefined });
      return timer(delayMs, scheduler);
    },
  });
}
