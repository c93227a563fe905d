import { catchError, map, of, throwError, type MonoTypeOperatorFunction } from 'rxjs';
import { FailedResponseError, isFailedResponse } from '../retry/failed-response.js';
import { resolveRetryOptions, type RetryOptions } from '../retry/retry-options.js';
import { retryTransportWith } from '../retry/retry-transport-with.js';
import { isRetryableError } from '../retry/retryable-error.js';

/**
 * Retries what a retry can fix — transport errors, 408, 429 and 5xx by default — with capped,
 * fully jittered exponential backoff, honouring `Retry-After` exactly (no jitter) up to
 * `maxRetryAfterMs`. The count is of consecutive failures: it resets after a value. Other errors
 * pass through at once. Unsubscribing cancels a pending retry.
 *
 * A fetch `Response` value that is not ok (as `fromFetch` emits a 503) counts as the
 * `CambHttpError` of its status and `Retry-After`: when `retryOn` says so it is dropped and the
 * source subscribed again; otherwise, or once the retries run out, it is emitted as the value it was.
 *
 * @param config - {@link RetryOptions}, or a number meaning `maxRetries`
 * @returns an operator that resubscribes to its source after a retryable error or failed `Response`
 * @throws TypeError at call time for bad options
 * @example
 * ```ts
 * import { retryTransport } from 'camb-rx';
 * import { fromFetch } from 'rxjs/fetch';
 * fromFetch(url).pipe(retryTransport({ maxRetries: 3, onRetry: (e) => console.warn(e.delayMs) }));
 * ```
 */
export function retryTransport<T>(config?: RetryOptions | number): MonoTypeOperatorFunction<T> {
  const options = resolveRetryOptions(config, { retryOn: isRetryableError });
  const { retryOn, maxRetryAfterMs, onRetry } = options;
  // A failed Response value (fromFetch's 503) fails as the CambHttpError it stands for, when a
  // retry may fix it; the retry then drops it for a new one, freeing its connection at once.
  const retried = retryTransportWith<T>({
    ...options,
    onRetry: (event) => {
      if (event.error instanceof FailedResponseError) event.error.response.body?.cancel().catch(() => undefined);
      onRetry?.(event);
    },
  });
  return (source) =>
    source.pipe(
      map((value) => {
        if (!isFailedResponse(value)) return value;
        const error = new FailedResponseError(value);
        if (retryOn(error) && (error.retryAfterMs ?? 0) <= maxRetryAfterMs) throw error;
        return value;
      }),
      retried,
      // A failed Response that is not retried any more is the value it was.
      catchError((error: unknown) => (error instanceof FailedResponseError ? of(error.response as T) : throwError(() => error))),
    );
}
