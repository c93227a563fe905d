import type { SchedulerLike } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import { assertKnownKeys, optionKeys } from '../util/assert-known-keys.js';
import { assertFunction, assertInteger, assertMs, optionError, withDefaults } from '../util/assert-option.js';

/**
 * What `onRetry` is told before each retry waits.
 *
 * @example
 * ```ts
 * import { transcriptionStatus$, type RetryEvent } from 'camb-rx';
 * const onRetry = ({ attempt, delayMs, error }: RetryEvent) => console.warn(`retry ${attempt} in ${delayMs} ms`, error);
 * transcriptionStatus$(taskId, { apiKey, retry: { onRetry } });
 * ```
 */
export interface RetryEvent {
  /** The error that is being retried. */
  error: unknown;
  /** 1-based number of this retry among the consecutive ones. */
  attempt: number;
  /** How long the retry waits first, in whole milliseconds. */
  delayMs: number;
  /** True when the server set the wait (`Retry-After`), so no jitter was applied. */
  serverDirected: boolean;
}

/**
 * How requests are retried; every field optional. Give it as the `retry` connection option, or
 * to `retryTransport`.
 *
 * @example
 * ```ts
 * import { transcriptionStatus$, type RetryOptions } from 'camb-rx';
 * const retry: RetryOptions = { maxRetries: 6, maxDelayMs: 10_000, onRetry: (e) => console.warn(e.attempt, e.error) };
 * transcriptionStatus$(taskId, { apiKey, retry }).subscribe(console.log);
 * ```
 */
export interface RetryOptions {
  /**
   * Consecutive retries before the error is passed on; a success resets the count.
   * @default 4
   */
  maxRetries?: number | undefined;
  /**
   * Base of the exponential backoff: retry n waits a random time up to `baseDelayMs · 2^(n−1)`.
   * @default 500
   */
  baseDelayMs?: number | undefined;
  /**
   * Cap of the backoff (not of `Retry-After`).
   * @default 20_000
   */
  maxDelayMs?: number | undefined;
  /**
   * The longest `Retry-After` that is honoured; a longer one fails at once with a `CambHttpError`.
   * @default 60_000
   */
  maxRetryAfterMs?: number | undefined;
  /**
   * Which errors are retried.
   * @default isRetryableError — transport errors, 408, 429 and 5xx (as the connection's `retry`,
   * only its test of camb-rx's own errors, the only ones the connection's requests fail with)
   */
  retryOn?: ((error: unknown) => boolean) | undefined;
  /**
   * Called before each retry waits, for logs and metrics.
   * @default undefined
   */
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /**
   * Where retry delays are scheduled; pass a `TestScheduler` for virtual time. (`mergeTasks`
   * schedules every timer, retry delays included, on the connection's `scheduler`.)
   * @default the connection's `scheduler` (asyncScheduler)
   */
  scheduler?: SchedulerLike | undefined;
}

/** {@link RetryOptions} with every default filled in. */
export type ResolvedRetryOptions = { [K in Exclude<keyof RetryOptions, 'onRetry'>]-?: NonNullable<RetryOptions[K]> } & Pick<RetryOptions, 'onRetry'>;

const retryOptionKeys = optionKeys<RetryOptions>({
  maxRetries: true,
  baseDelayMs: true,
  maxDelayMs: true,
  maxRetryAfterMs: true,
  retryOn: true,
  onRetry: true,
  scheduler: true,
});

const retryDefaults = {
  maxRetries: 4,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
};

/**
 * Normalises `RetryOptions | number` once (a number is `maxRetries`), fills in defaults and
 * checks every value, throwing `TypeError` on a bad one.
 *
 * @param inherited - the caller's defaults: its `scheduler`, and its `retryOn` (`isRetryableError`
 *   for `retryTransport`, `isRetryableCambError` for a connection), passed in so that a bundle
 *   carries only the classification it uses
 */
export function resolveRetryOptions(
  config: RetryOptions | number | undefined,
  inherited: { scheduler?: SchedulerLike; retryOn: (error: unknown) => boolean },
): ResolvedRetryOptions {
  if (config !== undefined && typeof config !== 'number' && (typeof config !== 'object' || config === null)) {
    throw optionError('retry', 'a number of retries, RetryOptions or false', config);
  }
  assertKnownKeys(config, retryOptionKeys, 'retry.');
  const options = typeof config === 'number' ? { maxRetries: config } : config;
  const resolved: ResolvedRetryOptions = withDefaults({ ...retryDefaults, retryOn: inherited.retryOn, scheduler: inherited.scheduler ?? asyncScheduler }, options);
  assertInteger('retry.maxRetries', resolved.maxRetries, 0, 1000);
  assertMs('retry.baseDelayMs', resolved.baseDelayMs);
  assertMs('retry.maxDelayMs', resolved.maxDelayMs);
  assertMs('retry.maxRetryAfterMs', resolved.maxRetryAfterMs);
  assertFunction('retry.retryOn', resolved.retryOn);
  if (resolved.onRetry !== undefined) assertFunction('retry.onRetry', resolved.onRetry);
  return resolved;
}
