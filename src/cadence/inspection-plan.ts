/**
 * What the optimal-inspection dynamic programme is given: a distribution of task durations on a
 * grid of read ages, the price of one request in milliseconds of lag, and the allowed gaps.
 *
 * @internal
 */
export interface InspectionProblem {
  /** Read ages in ms, `edges[0] = 0`, strictly increasing. */
  readonly edges: Float64Array;
  /** `probabilities[k]` (k ≥ 1) = P(duration in `(edges[k−1], edges[k]]`); the last entry is the mass beyond the last edge. */
  readonly probabilities: Float64Array;
  /** c: how many ms of expected lag one expected request is worth. */
  readonly requestCost: number;
  /** Shortest gap between two reads. */
  readonly minGapMs: number;
  /** The gap assumed between reads beyond the last edge (longer gaps elsewhere are clamped by the schedule). */
  readonly maxGapMs: number;
}

/**
 * The optimal schedule for an {@link InspectionProblem}: after a non-terminal read at `edges[i]`
 * read next at `edges[next[i]]`, that is after `delays[i]` ms; and the mean lag and requests it
 * gives when the first read is at age 0 (that read counted).
 *
 * @internal
 */
export interface InspectionPlan {
  readonly next: Int32Array;
  readonly delays: Float64Array;
  readonly expectedLagMs: number;
  readonly expectedRequests: number;
  readonly requestCost: number;
}

/**
 * Solves the optimal-inspection problem by dynamic programming over the grid, from the last edge
 * back to age 0. With `W(i)` the expected cost still to come after a non-terminal read at
 * `edges[i]` (weighted by the probability of getting there), the next read `j` (at least
 * `minGapMs` later) minimises `c·S(i) + Σ_{i<k≤j} p_k·(edges[j] − mean_k) + W(j)` (`mean_k`: the bin's midpoint). With cumulative
 * sums that is `c·S(i) + M(i) + min_j (B(j) − edges[j]·P(i))`: a minimum over lines at `P(i)`,
 * and since lines arrive in order of slope and `P(i)` only falls, a monotone convex-hull deque
 * finds each minimum in amortised O(1). Total cost O(edges). `maxGapMs` is the assumed gap beyond
 * the last edge; schedules clamp longer gaps. Ties go to the earlier read. Allocates only the
 * plan's own arrays (the working ones are kept for the next solve), and not even those when
 * `into` holds arrays of the right length: the plan is then written into them (a plan already
 * made with them is overwritten).
 *
 * @internal
 */
export function solveInspection(problem: InspectionProblem, into?: Pick<InspectionPlan, 'next' | 'delays'>): InspectionPlan {
  const { edges, probabilities, requestCost: c, minGapMs, maxGapMs } = problem;
  const n = edges.length;
  const last = n - 1;
  let total = 0;
  for (let k = 0; k <= n; k++) total += probabilities[k]!;
  const { cumulative, moment, lag, requests, intercept, hull, hullSlope, hullIntercept } = workspaceFor(n);
  // Cumulative probability P and cumulative first moment M up to each edge, normalised.
  let p = probabilities[0]! / total;
  let m = 0;
  cumulative[0] = p;
  moment[0] = 0;
  for (let k = 1; k < n; k++) {
    const mass = probabilities[k]! / total;
    p += mass;
    m += mass * ((edges[k - 1]! + edges[k]!) / 2);
    cumulative[k] = p;
    moment[k] = m;
  }
  const next = into?.next.length === n ? into.next : new Int32Array(n);
  const delays = into?.delays.length === n ? into.delays : new Float64Array(n);

  const tail = Math.max(0, 1 - cumulative[last]!);
  lag[last] = tail * (maxGapMs / 2);
  requests[last] = tail;
  next[last] = last;
  delays[last] = maxGapMs;
  intercept[last] = edges[last]! * cumulative[last]! - moment[last]! + tail * (c + maxGapMs / 2);

  // The hull: candidate edges, oldest (latest read) first; lines enter in order of rising slope.
  // Each line's slope (its edge) and intercept are kept beside it, where the scans read them in order.
  hull[0] = last;
  hullSlope[0] = edges[last]!;
  hullIntercept[0] = intercept[last]!;
  let head = 0;
  let size = 1;
  let low = last; // the earliest read edge on the hull so far
  for (let i = last - 1; i >= 0; i--) {
    const at = edges[i]!;
    while (low - 1 > i && edges[low - 1]! - at >= minGapMs) {
      const j = --low;
      // The newest line makes the one before it useless when it overtakes it no later than that one overtook its predecessor.
      const slopeJ = edges[j]!;
      const interceptJ = intercept[j]!;
      while (size - head >= 2) {
        const slopeA = hullSlope[size - 2]!;
        const slopeB = hullSlope[size - 1]!;
        const interceptB = hullIntercept[size - 1]!;
        if (!((interceptJ - interceptB) * (slopeB - slopeA) >= (interceptB - hullIntercept[size - 2]!) * (slopeJ - slopeB))) break;
        size--;
      }
      hull[size] = j;
      hullSlope[size] = slopeJ;
      hullIntercept[size++] = interceptJ;
    }
    const x = cumulative[i]!;
    while (size - head >= 2 && hullIntercept[head + 1]! - hullSlope[head + 1]! * x <= hullIntercept[head]! - hullSlope[head]! * x) head++;
    const best = hull[head]!;
    const s = Math.max(0, 1 - x);
    const cost = c * s + moment[i]! + hullIntercept[head]! - hullSlope[head]! * x;
    lag[i] = edges[best]! * (cumulative[best]! - x) - (moment[best]! - moment[i]!) + lag[best]!;
    requests[i] = s + requests[best]!;
    next[i] = best;
    delays[i] = edges[best]! - at;
    intercept[i] = at * x - moment[i]! + cost;
  }
  return { next, delays, expectedLagMs: lag[0]!, expectedRequests: 1 + requests[0]!, requestCost: c };
}

/** The dynamic programme's working arrays, kept from one solve to the next: a re-plan allocates only what its plan keeps. */
let workspace = {
  cumulative: new Float64Array(0),
  moment: new Float64Array(0),
  lag: new Float64Array(0),
  requests: new Float64Array(0),
  intercept: new Float64Array(0),
  hull: new Int32Array(0),
  hullSlope: new Float64Array(0),
  hullIntercept: new Float64Array(0),
};

/** The working arrays for `n` edges (every entry is written before it is read). */
function workspaceFor(n: number): typeof workspace {
  if (workspace.hull.length < n) {
    const numbers = () => new Float64Array(n);
    workspace = { cumulative: numbers(), moment: numbers(), lag: numbers(), requests: numbers(), intercept: numbers(), hull: new Int32Array(n), hullSlope: numbers(), hullIntercept: numbers() };
  }
  return workspace;
}

/** The range of request costs searched, in ms of lag per request. @internal */
export const REQUEST_COST_RANGE = { min: 1, max: 1e9 } as const;

/**
 * The plan whose expected lag meets `targetLagMs`, by bisection on log c (lag grows with c).
 * When the target is out of reach, the plan at the nearer end of {@link REQUEST_COST_RANGE}.
 *
 * @internal
 */
export function planForLag(problem: Omit<InspectionProblem, 'requestCost'>, targetLagMs: number, tolerance = 0.002): InspectionPlan {
  let low = Math.log(REQUEST_COST_RANGE.min);
  let high = Math.log(REQUEST_COST_RANGE.max);
  let plan = solveInspection({ ...problem, requestCost: Math.exp(high) });
  if (plan.expectedLagMs <= targetLagMs) return plan;
  plan = solveInspection({ ...problem, requestCost: Math.exp(low) });
  if (plan.expectedLagMs >= targetLagMs) return plan;
  for (let step = 0; step < 60; step++) {
    const mid = (low + high) / 2;
    plan = solveInspection({ ...problem, requestCost: Math.exp(mid) });
    if (Math.abs(plan.expectedLagMs / targetLagMs - 1) <= tolerance) break;
    if (plan.expectedLagMs < targetLagMs) low = mid;
    else high = mid;
  }
  return plan;
}
