import { normalCdf } from './log-normal.js';
import { twoLogNormalCdf } from './log-normal-mixture.js';

/**
 * How far a fit may stray from the estimate, in units of its sampling noise `1/√tasks` (the
 * Kolmogorov distance scaled), and still be used alone…
 */
const FIT_TRUSTED = 1.1;
/** …and from how far it is not used at all (about the Kolmogorov test's 5% critical value, 1.36, with tasks counted by the estimate's memory). */
const FIT_REJECTED = 1.3;

/**
 * The log-normal with the same mean and variance of the log duration as a nonparametric
 * estimate — or, when that one is not trusted alone, the mixture of two log-normals fitted by EM
 * if it lies closer — and how far to trust it: the Kolmogorov distance between the two, scaled by the
 * estimate's noise `1/√tasks`, is at most `FIT_TRUSTED` (share 1: the fit alone) or at least
 * `FIT_REJECTED` (share 0: the estimate alone), the share linear in between. The fit fills what
 * reads at the same ages cannot see (the shape of the distribution inside the gaps between reads)
 * and steadies the estimate while tasks are few; the check leaves any other shape (three modes,
 * a heavy tail) to the estimate. O(bins), and O(runs of bins) per EM iteration when the mixture is tried.
 *
 * @param edges - the grid's edges
 * @param probabilities - the estimate's bin probabilities (the first at age 0, the last beyond the grid)
 * @param tasks - how many tasks the estimate stands for
 * @returns the fit's bin probabilities (scaled to the estimate's mass inside the grid; in an
 *   array kept between calls, which the next call overwrites) and its share
 * @internal
 */
export function logNormalFit(edges: Float64Array, probabilities: Float64Array, tasks: number): { fit: Float64Array; share: number } {
  const n = edges.length;
  const { logMid, logEdge } = logsOf(edges);
  let total = 0;
  let sum = 0;
  let squares = 0;
  for (let k = 1; k < n; k++) {
    const p = probabilities[k]!;
    total += p;
    sum += p * logMid[k]!;
    squares += p * logMid[k]! * logMid[k]!;
  }
  if (!(total > 0)) return { fit: probabilities, share: 0 };
  const mu = sum / total;
  const sigma = Math.sqrt(Math.max(1e-6, squares / total - mu * mu));
  // The fit's CDF at each edge (computed once, then turned into bins in place), and the distance.
  if (singleFit.length !== n + 1) singleFit = new Float64Array(n + 1);
  let fit = singleFit;
  for (let k = 1; k < n; k++) fit[k] = normalCdf((logEdge[k]! - mu) / sigma);
  let distance = kolmogorovDistance(fit, probabilities, total);
  if (distance * Math.sqrt(tasks) > FIT_TRUSTED) {
    // Not good enough alone: two kinds of tasks may fit where one does not.
    const mixture = twoLogNormalCdf(logMid, logEdge, probabilities, total);
    const mixtureDistance = kolmogorovDistance(mixture, probabilities, total);
    if (mixtureDistance < distance) [fit, distance] = [mixture, mixtureDistance];
  }
  const share = Math.min(1, Math.max(0, (FIT_REJECTED - distance * Math.sqrt(tasks)) / (FIT_REJECTED - FIT_TRUSTED)));
  if (share === 0) return { fit: probabilities, share: 0 };
  const inside = total / (total + probabilities[0]! + probabilities[n]!);
  fit[n] = (1 - fit[n - 1]!) * inside;
  for (let k = n - 1; k >= 1; k--) fit[k] = Math.max(0, fit[k]! - (k > 1 ? fit[k - 1]! : 0)) * inside;
  return { fit, share };
}

/** The one-log-normal fit's CDF and then bins, kept between calls. */
let singleFit: Float64Array = new Float64Array(0);

/** The largest gap between a CDF at the edges (`cdf[k]`, k ≥ 1) and the estimate's, normalised to its mass `total` inside the grid. */
function kolmogorovDistance(cdf: Float64Array, probabilities: Float64Array, total: number): number {
  let distance = 0;
  let cumulative = 0;
  for (let k = 1; k < cdf.length - 1; k++) {
    cumulative += probabilities[k]! / total;
    distance = Math.max(distance, Math.abs(cumulative - cdf[k]!));
  }
  return distance;
}

/** Per grid, the log of each bin's midpoint and of each edge (computed once). */
const gridLogs = new WeakMap<Float64Array, { logMid: Float64Array; logEdge: Float64Array }>();

function logsOf(edges: Float64Array): { logMid: Float64Array; logEdge: Float64Array } {
  let logs = gridLogs.get(edges);
  if (!logs) {
    logs = { logMid: edges.map((edge, k) => (k === 0 ? 0 : Math.log((edges[k - 1]! + edge) / 2))), logEdge: edges.map((edge) => Math.log(edge)) };
    gridLogs.set(edges, logs);
  }
  return logs;
}

/**
 * `share·fit + (1 − share)·estimate`, bin by bin: into `out` when given, else into a new array
 * (or the estimate itself when the share is 0).
 *
 * @internal
 */
export function mixWith(fit: Float64Array, share: number, estimate: Float64Array, out?: Float64Array): Float64Array {
  if (share === 0 && !out) return estimate;
  const mixed = out ?? new Float64Array(estimate.length);
  for (let k = 0; k < mixed.length; k++) mixed[k] = share * fit[k]! + (1 - share) * estimate[k]!;
  return mixed;
}
