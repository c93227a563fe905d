import { identity, retry, timer, type MonoTypeOperatorFunction } from 'rxjs';
import { retryDelay } from './retry-delay.js';
import type { ResolvedRetryOptions } from './retry-options.js';

/**
 * {@link retryTransport} with options already resolved, for the streams that resolve them once;
 * `false` (the connection's `retry: false`) passes everything through. What `retryDelay` throws
 * ends the stream with it.
 */
export function retryTransportWith<T>(options: ResolvedRetryOptions | false): MonoTypeOperatorFunction<T> {
  if (!options) return identity;
  return retry({
    count: options.maxRetries,
    resetOnSuccess: true,
    delay: (error: unknown, attempt: number) => timer(retryDelay(error, attempt, options), options.scheduler),
  });
}
