import type { MonoTypeOperatorFunction } from 'rxjs';
import { resolveRetryOptions, type RetryOptions } from '../retry/retry-options.js';
import { retryTransportWith } from '../retry/retry-transport-with.js';

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
  return retryTransportWith(resolveRetryOptions(config));
}
