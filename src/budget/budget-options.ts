import { optionKeys } from '../util/assert-known-keys.js';
import { assertInteger } from '../util/assert-option.js';

/**
 * A request budget: how many requests may be in flight, and how many may start per second.
 * Taken by `mergeTasks` (one budget per subscription) and `createCambClient` (one per client).
 *
 * @example
 * ```ts
 * import { createCambClient, type BudgetOptions } from 'camb-rx';
 * const gentle: BudgetOptions = { maxConcurrentRequests: 4, maxRequestsPerSecond: 2 };
 * const camb = createCambClient({ apiKey, ...gentle });
 * ```
 */
export interface BudgetOptions {
  /**
   * Requests in flight at once, across every task that shares the budget.
   * @default 16
   */
  maxConcurrentRequests?: number | undefined;
  /**
   * Requests that may start within any one-second window (a sliding window, so the limit holds
   * however the second is cut). A whole number, or `Infinity` for no limit.
   * @default 20
   */
  maxRequestsPerSecond?: number | undefined;
}

/** Every name of {@link BudgetOptions}, for the check of unknown options. */
export const budgetOptionKeys = optionKeys<BudgetOptions>({ maxConcurrentRequests: true, maxRequestsPerSecond: true });

/** {@link BudgetOptions} checked, with defaults filled in. */
export type ResolvedBudgetOptions = { [K in keyof BudgetOptions]-?: NonNullable<BudgetOptions[K]> };

/** Checks budget options and fills in defaults; throws `TypeError` on a bad value. */
export function resolveBudgetOptions(options: BudgetOptions): ResolvedBudgetOptions {
  const { maxConcurrentRequests = 16, maxRequestsPerSecond = 20 } = options;
  if (maxConcurrentRequests !== Infinity) assertInteger('maxConcurrentRequests', maxConcurrentRequests, 1);
  if (maxRequestsPerSecond !== Infinity) assertInteger('maxRequestsPerSecond', maxRequestsPerSecond, 1);
  return { maxConcurrentRequests, maxRequestsPerSecond };
}
