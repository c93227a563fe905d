import { catchError, identity, map, of, retry, throwError, timer, type MonoTypeOperatorFunction } from 'rxjs';
import { CambHttpError } from '../errors/camb-http-error.js';
import { isCambHttpError } from '../errors/guards.js';
import { fullJitterDelay } from '../timing/backoff.js';
import { RetriedResponse, failedResponseError, isFailedResponse } from './failed-response.js';
import type { ResolvedRetryOptions } from './retry-options.js';

/**
 * {@link retryTransport} with options already resolved, for the streams that resolve them once;
 * `false` (the connection's `retry: false`) passes everything through.
 */
export function retryTransportWith<T>(options: ResolvedRetryOptions | false): MonoTypeOperatorFunction<T> {
  if (!options) return identity;
  const { maxRetries, baseDelayMs, maxDelayMs, maxRetryAfterMs, retryOn, onRetry, scheduler } = options;
  return (source) =>
    source.pipe(
      // A failed Response value (fromFetch's 503) is retried like the CambHttpError it stands for.
      map((value) => {
        if (!isFailedResponse(value)) return value;
        const error = failedResponseError(value);
        if (retryOn(error)) throw new RetriedResponse(value, error);
        return value;
      }),
      retry({
        count: maxRetries,
        resetOnSuccess: true,
        delay: (thrown: unknown, attempt: number) => {
          const error = thrown instanceof RetriedResponse ? thrown.error : thrown;
          if (!retryOn(error)) return throwError(() => thrown);
          const retryAfterMs = isCambHttpError(error) ? error.retryAfterMs : undefined;
          if (isCambHttpError(error) && retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) {
            if (thrown instanceof RetriedResponse) return throwError(() => thrown);
            const message = `${error.message} — its Retry-After of ${retryAfterMs} ms is above maxRetryAfterMs (${maxRetryAfterMs} ms), so it was not retried`;
            return throwError(() => new CambHttpError(error, message, { cause: error }));
          }
          // Whole milliseconds: what a timer can wait, and what onRetry reports.
          const delayMs = Math.round(retryAfterMs ?? fullJitterDelay(attempt, baseDelayMs, maxDelayMs));
          onRetry?.({ error, attempt, delayMs, serverDirected: retryAfterMs !== undefined });
          // The response is dropped for a new one: free its connection rather than wait for GC.
          if (thrown instanceof RetriedResponse) thrown.response.body?.cancel().catch(() => undefined);
          return timer(delayMs, scheduler);
        },
      }),
      // A failed Response that is not retried (any more) is the value it was.
      catchError((thrown: unknown) => (thrown instanceof RetriedResponse ? of(thrown.response as T) : throwError(() => thrown))),
    );
}
