import { optionKeys } from '../util/assert-known-keys.js';
import { assertInteger, optionError, withDefaults } from '../util/assert-option.js';

/**
 * A request budget: how many requests may be in flight, and how many may reach the server per
 * second. Taken by `mergeTasks` (one budget per subscription) and `createCambClient` (one per client).
 *
 * Both limits hold **as measured at the server**, whatever the connection latency does to
 * arrivals: a request counts against the rate from its start until one second after it ended, so
 * no one-second window at the server can see more than `maxRequestsPerSecond` arrivals; and starts
 * are paced evenly (a leaky bucket) rather than sent in bursts.
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
   * A whole number, or `Infinity` for no limit. Starts are paced `1000 / maxRequestsPerSecond` ms
   * apart, and a request counts until one second after it ended, so the rate reached is
   * `maxRequestsPerSecond × 1000 / (1000 + latency)`: a little under the figure.
   * @default 20
   */
  maxRequestsPerSecond?: number | undefined;
  /**
   * Requests that may start back to back after a quiet spell, before the pacing applies: a whole
   * number from 1 to `maxRequestsPerSecond`.
   * @default 1
   */
  burst?: number | undefined;
}

/** Every name of {@link BudgetOptions}, for the check of unknown options. */
export const budgetOptionKeys = optionKeys<BudgetOptions>({ maxConcurrentRequests: true, maxRequestsPerSecond: true, burst: true });

/** {@link BudgetOptions} checked, with defaults filled in. */
export type ResolvedBudgetOptions = { readonly [K in keyof BudgetOptions]-?: number };

const budgetDefaults = { maxConcurrentRequests: 16, maxRequestsPerSecond: 20, burst: 1 };

/** Checks budget options and fills in defaults; throws `TypeError` on a bad value. */
export function resolveBudgetOptions(options: BudgetOptions): ResolvedBudgetOptions {
  const { maxConcurrentRequests, maxRequestsPerSecond, burst } = withDefaults(budgetDefaults, options);
  if (maxConcurrentRequests !== Infinity) assertInteger('maxConcurrentRequests', maxConcurrentRequests, 1);
  if (maxRequestsPerSecond !== Infinity) assertInteger('maxRequestsPerSecond', maxRequestsPerSecond, 1);
  assertInteger('burst', burst, 1);
  if (burst > maxRequestsPerSecond) throw optionError('burst', `at most maxRequestsPerSecond (${maxRequestsPerSecond})`, burst);
  return { maxConcurrentRequests, maxRequestsPerSecond, burst };
}

/**
 * The most lateness of a wake-up timer that the pacing makes up, in ms: timers wait whole
 * milliseconds and fire a little late on a busy event loop, and a start held by such a wake-up is
 * counted as if it had come on time, so the starts behind it follow sooner and the lateness is not
 * lost for good. A wake-up later than this is a starved event loop, and is not made up at all:
 * catching up then would add load to a process that is already behind (over loopback, with a
 * 250 ms request timeout, it turned a slow run into one where every request timed out).
 */
const CATCH_UP_MS = 5;

/**
 * The pacing of a budget, as a GCRA (leaky bucket): starts `intervalMs` apart on average, a start
 * may come up to `toleranceMs` ahead of that schedule, and a start held by a wake-up timer that
 * fired at most `catchUpMs` late is counted from when it was due (all 0 when the rate is
 * unlimited). So any `k + 1` starts span at least `k × intervalMs − toleranceMs − catchUpMs`.
 * The pacing only smooths the starts; the server-side bound comes from counting each request until
 * one second after its end (see `RequestBudget`).
 *
 * @internal
 */
export interface Pacing {
  readonly intervalMs: number;
  readonly toleranceMs: number;
  readonly catchUpMs: number;
}

/**
 * The pacing of a budget: `1000 / maxRequestsPerSecond` ms apart, `burst − 1` intervals of
 * tolerance, and a wake-up up to {@link CATCH_UP_MS} late made up.
 *
 * @internal
 */
export function pacingOf(limits: ResolvedBudgetOptions): Pacing {
  if (limits.maxRequestsPerSecond === Infinity) return { intervalMs: 0, toleranceMs: 0, catchUpMs: 0 };
  const intervalMs = 1000 / limits.maxRequestsPerSecond;
  return { intervalMs, toleranceMs: (limits.burst - 1) * intervalMs, catchUpMs: CATCH_UP_MS };
}
