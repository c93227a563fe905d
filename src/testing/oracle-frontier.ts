import { durationGrid } from '../cadence/duration-grid.js';
import { solveInspection } from '../cadence/inspection-plan.js';
import { binProbabilities } from '../cadence/log-normal.js';

/**
 * One point of the oracle frontier: the optimal schedule at one price per request.
 *
 * @example
 * ```ts
 * import { oracleFrontier, type FrontierPoint } from 'camb-rx/testing';
 * const points: FrontierPoint[] = oracleFrontier((ms) => Math.min(1, ms / 120_000));
 * ```
 */
export interface FrontierPoint {
  /** c: the ms of lag one request was worth. */
  requestCost: number;
  /** Mean detection lag of the optimal schedule, in ms. */
  meanLagMs: number;
  /** Mean requests per task, the first read at age 0 counted. */
  meanRequests: number;
}

/**
 * The oracle frontier for a known duration distribution: for each price c, the poll schedule that
 * minimises `E[lag] + c·E[requests]`, by dynamic programming on a grid of `stepMs` (reads only at
 * grid ages, no gap limit), and its mean lag and requests. No poller that sees only
 * pending/terminal can do better than the frontier; compare a policy with it at the policy's own lag.
 *
 * @param cdf - P(duration ≤ ms); 1 at `horizonMs`
 * @param options - `stepMs` (default 500), `horizonMs` (default 2 h), `requestCosts` (default 80 from 10 ms to 10⁷ ms)
 * @returns the points, by rising lag
 * @example
 * ```ts
 * import { oracleFrontier } from 'camb-rx/testing';
 * const uniformToTwoMinutes = (ms: number) => Math.min(1, ms / 120_000);
 * for (const p of oracleFrontier(uniformToTwoMinutes)) console.log(p.meanLagMs, p.meanRequests);
 * ```
 */
export function oracleFrontier(
  cdf: (ageMs: number) => number,
  { stepMs = 500, horizonMs = 7_200_000, requestCosts = Array.from({ length: 80 }, (_, i) => 10 * 10 ** (i / 13.2)) }: { stepMs?: number; horizonMs?: number; requestCosts?: readonly number[] } = {},
): FrontierPoint[] {
  const { edges } = durationGrid({ stepMs, growth: 0, horizonMs });
  const probabilities = binProbabilities(edges, cdf);
  return requestCosts
    .map((requestCost) => {
      const plan = solveInspection({ edges, probabilities, requestCost, minGapMs: stepMs, maxGapMs: horizonMs });
      return { requestCost, meanLagMs: plan.expectedLagMs, meanRequests: plan.expectedRequests };
    })
    .sort((a, b) => a.meanLagMs - b.meanLagMs);
}
