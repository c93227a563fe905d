import { assertInteger, assertMs, optionError, withDefaults } from '../util/assert-option.js';

/**
 * A request budget: how many requests may be in flight, and how many may reach the server per
 * second. Taken by `mergeTasks` (one budget per subscription) and `createCambClient` (one per client).
 *
 * The rate holds **as measured at the server**: starts are paced evenly (a leaky bucket), far
 * enough apart that no one-second window at the server sees more than `maxRequestsPerSecond`
 * arrivals, as long as the time from a start to its arrival varies by no more than
 * `latencyJitterMs`.
 *
 * @example
 * ```ts
 * import { createCambClient, type BudgetOptions } from 'camb-rx';
 * const gentle: BudgetOptions = { maxConcurrentRequests: 4, maxRequestsPerSecond: 2 };
 * const camb = createCambClient({ apiKey: process.env.CAMB_API_KEY!, ...gentle });
 * ```
 */
export interface BudgetOptions {
  /**
   * Requests in flight at once, across every task that shares the budget. A request the client
   * gave up on (timeout, unsubscribe) keeps its slot until its exchange has really ended.
   * @default 16
   */
  maxConcurrentRequests?: number | undefined;
  /**
   * The most requests the server may see arrive within any one-second window (a sliding window).
   * A whole number, or `Infinity` for no limit. Starts are paced
   * `(1000 + latencyJitterMs) / (maxRequestsPerSecond + 1 - burst)` ms apart, so the rate reached
   * is a little under this figure.
   * @default 20
   */
  maxRequestsPerSecond?: number | undefined;
  /**
   * Requests that may start back to back after a quiet spell, before pacing applies: a whole
   * number from 1 to `maxRequestsPerSecond`. A larger burst starts a batch sooner and paces the
   * rest further apart.
   * @default 1
   */
  burst?: number | undefined;
  /**
   * How much the time from a request's start to its arrival at the server may vary, in ms: new
   * connections, the HTTP client's queue, a busy event loop. The pacing leaves this much room, so
   * that requests bunched up on their way still fit in the server's one-second window.
   * @default 100
   */
  latencyJitterMs?: number | undefined;
}

/** {@link BudgetOptions} checked, with defaults filled in. */
export type ResolvedBudgetOptions = { readonly [K in keyof BudgetOptions]-?: number };

const budgetDefaults = { maxConcurrentRequests: 16, maxRequestsPerSecond: 20, burst: 1, latencyJitterMs: 100 };

/** Checks budget options and fills in defaults; throws `TypeError` on a bad value. */
export function resolveBudgetOptions(options: BudgetOptions): ResolvedBudgetOptions {
  const { maxConcurrentRequests, maxRequestsPerSecond, burst, latencyJitterMs } = withDefaults(budgetDefaults, options);
  if (maxConcurrentRequests !== Infinity) assertInteger('maxConcurrentRequests', maxConcurrentRequests, 1);
  if (maxRequestsPerSecond !== Infinity) assertInteger('maxRequestsPerSecond', maxRequestsPerSecond, 1);
  assertInteger('burst', burst, 1);
  if (burst > maxRequestsPerSecond) throw optionError('burst', `at most maxRequestsPerSecond (${maxRequestsPerSecond})`, burst);
  assertMs('latencyJitterMs', latencyJitterMs);
  return { maxConcurrentRequests, maxRequestsPerSecond, burst, latencyJitterMs };
}

/**
 * The spacing of starts that keeps every one-second window at the server within
 * `maxRequestsPerSecond` (0 when the rate is unlimited).
 *
 * Why it holds: the budget is a GCRA (leaky bucket) with emission interval `T` and tolerance
 * `(burst − 1)·T`, so any `k` starts span at least `(k − burst)·T`, however late its timer fires.
 * A request arrives at the server `d` ms after its start, `d` varying by at most
 * `J = latencyJitterMs`. If `k` requests arrive within one window (a span under 1000 ms), their
 * starts span under `1000 + J`, so `(k − burst)·T < 1000 + J`. With
 * `T = (1000 + J) / (maxRequestsPerSecond + 1 − burst)` that gives `k < maxRequestsPerSecond + 1`.
 *
 * @internal
 */
export function pacingIntervalMs(limits: ResolvedBudgetOptions): number {
  if (limits.maxRequestsPerSecond === Infinity) return 0;
  return (1000 + limits.latencyJitterMs) / (limits.maxRequestsPerSecond + 1 - limits.burst);
}
