import { durationGrid, edgeAtOrAbove } from '../cadence/duration-grid.js';
import { solveInspection, type InspectionPlan } from '../cadence/inspection-plan.js';
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
  /** With the `sample` option: the same schedule on those very durations. */
  sample?: SampleFigures;
}

/**
 * What one oracle schedule spent on a sample of durations ({@link FrontierPoint.sample}).
 *
 * @example
 * ```ts
 * import { oracleFrontier, type SampleFigures } from 'camb-rx/testing';
 * const [point] = oracleFrontier((ms) => Math.min(1, ms / 120_000), { sample: [45_000] });
 * const figures: SampleFigures | undefined = point?.sample;
 * ```
 */
export interface SampleFigures {
  /** Mean detection lag on the sample, in ms. */
  meanLagMs: number;
  /** Mean requests per task on the sample, the first read at age 0 counted. */
  meanRequests: number;
}

/**
 * The oracle frontier for a known duration distribution: for each price c, the poll schedule that
 * minimises `E[lag] + c·E[requests]`, by dynamic programming on a grid of `stepMs` (reads only at
 * grid ages, no gap limit), and its mean lag and requests. No poller that sees only
 * pending/terminal can do better than the frontier; compare a policy with it at the policy's own lag.
 * Given `sample` (the durations a policy was measured on, drawn from `cdf`), each point also
 * says what its schedule spent on those same tasks: a comparison without the sample's own luck
 * (a sample of long tasks costs the oracle more too).
 *
 * @param cdf - P(duration ≤ ms); 1 at `horizonMs`
 * @param options - `stepMs` (default 500), `horizonMs` (default 2 h), `requestCosts` (default 80 from 10 ms to 10⁷ ms), `sample` (durations in ms)
 * @returns the points, by rising lag
 * @throws TypeError when `sample` holds a value that is not a finite number ≥ 0
 * @example
 * ```ts
 * import { oracleFrontier } from 'camb-rx/testing';
 * const uniformToTwoMinutes = (ms: number) => Math.min(1, ms / 120_000);
 * for (const p of oracleFrontier(uniformToTwoMinutes, { sample: [30_000, 90_000] })) console.log(p.meanLagMs, p.sample?.meanLagMs);
 * ```
 */
export function oracleFrontier(
  cdf: (ageMs: number) => number,
  {
    stepMs = 500,
    horizonMs = 7_200_000,
    requestCosts = Array.from({ length: 80 }, (_, i) => 10 * 10 ** (i / 13.2)),
    sample,
  }: { stepMs?: number; horizonMs?: number; requestCosts?: readonly number[]; sample?: readonly number[] } = {},
): FrontierPoint[] {
  if (sample?.some((ms) => !(Number.isFinite(ms) && ms >= 0))) throw new TypeError('oracleFrontier: sample must hold durations in ms, finite numbers ≥ 0');
  const { edges } = durationGrid({ stepMs, growth: 0, horizonMs });
  const probabilities = binProbabilities(edges, cdf);
  return requestCosts
    .map((requestCost) => {
      const plan = solveInspection({ edges, probabilities, requestCost, minGapMs: stepMs, maxGapMs: horizonMs });
      const point: FrontierPoint = { requestCost, meanLagMs: plan.expectedLagMs, meanRequests: plan.expectedRequests };
      if (sample && sample.length > 0) point.sample = onSample(readAges(edges, plan), horizonMs, sample);
      return point;
    })
    .sort((a, b) => a.meanLagMs - b.meanLagMs);
}

/** The ages a plan reads every task at, from age 0 to the last edge (each read follows from the one before). */
function readAges(edges: Float64Array, plan: InspectionPlan): Float64Array {
  const ages = [0];
  for (let i = 0; plan.next[i] !== i; i = plan.next[i]!) ages.push(edges[plan.next[i]!]!);
  return Float64Array.from(ages);
}

/**
 * A schedule's mean lag and requests on given durations: a task is seen done at the first read at
 * or after its duration (beyond the last read age, one read per `gapMs`).
 */
function onSample(ages: Float64Array, gapMs: number, durations: readonly number[]): SampleFigures {
  const last = ages.length - 1;
  let lag = 0;
  let requests = 0;
  for (const duration of durations) {
    const read = edgeAtOrAbove({ edges: ages }, duration); // the first read at or after it
    if (read <= last) {
      requests += read + 1;
      lag += ages[read]! - duration;
    } else {
      const beyond = Math.ceil((duration - ages[last]!) / gapMs);
      requests += last + 1 + beyond;
      lag += ages[last]! + beyond * gapMs - duration;
    }
  }
  return { meanLagMs: lag / durations.length, meanRequests: requests / durations.length };
}
