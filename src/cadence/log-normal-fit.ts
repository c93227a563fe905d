import { binProbabilities, logNormalCdf } from './log-normal.js';

/**
 * How far a fit may stray from the estimate, in units of its sampling noise `1/√tasks` (the
 * Kolmogorov distance scaled), and still be used alone…
 */
const FIT_TRUSTED = 1.1;
/** …and from how far it is not used at all (about the Kolmogorov test's 5% critical value, 1.36, with tasks counted by the estimate's memory). */
const FIT_REJECTED = 1.3;

/**
 * The log-normal with the same mean and variance of the log duration as a nonparametric
 * estimate, and how far to trust it: the Kolmogorov distance between the two, scaled by the
 * estimate's noise `1/√tasks`, is at most `FIT_TRUSTED` (share 1: the fit alone) or at least
 * `FIT_REJECTED` (share 0: the estimate alone), the share linear in between. The fit fills what
 * reads at the same ages cannot see (the shape of the distribution inside the gaps between reads)
 * and steadies the estimate while tasks are few; the check leaves any other shape (bimodal,
 * heavy-tailed) to the estimate. O(bins).
 *
 * @param edges - the grid's edges
 * @param probabilities - the estimate's bin probabilities (the first at age 0, the last beyond the grid)
 * @param tasks - how many tasks the estimate stands for
 * @returns the fit's bin probabilities (scaled to the estimate's mass inside the grid) and its share
 * @internal
 */
export function logNormalFit(edges: Float64Array, probabilities: Float64Array, tasks: number): { fit: Float64Array; share: number } {
  const n = edges.length;
  let total = 0;
  let sum = 0;
  let squares = 0;
  for (let k = 1; k < n; k++) {
    const p = probabilities[k]!;
    const log = Math.log((edges[k - 1]! + edges[k]!) / 2);
    total += p;
    sum += p * log;
    squares += p * log * log;
  }
  if (!(total > 0)) return { fit: probabilities, share: 0 };
  const mu = sum / total;
  const sigma = Math.sqrt(Math.max(1e-6, squares / total - mu * mu));
  const medianMs = Math.exp(mu);
  let distance = 0;
  let cumulative = 0;
  for (let k = 1; k < n; k++) {
    cumulative += probabilities[k]! / total;
    distance = Math.max(distance, Math.abs(cumulative - logNormalCdf(edges[k]!, medianMs, sigma)));
  }
  const share = Math.min(1, Math.max(0, (FIT_REJECTED - distance * Math.sqrt(tasks)) / (FIT_REJECTED - FIT_TRUSTED)));
  const fit = binProbabilities(edges, (x) => logNormalCdf(x, medianMs, sigma));
  const inside = total / (total + probabilities[0]! + probabilities[n]!);
  for (let k = 0; k < fit.length; k++) fit[k] = fit[k]! * inside;
  return { fit, share };
}

/**
 * `share·fit + (1 − share)·estimate`, bin by bin (the estimate itself when the share is 0).
 *
 * @internal
 */
export function mixWith(fit: Float64Array, share: number, estimate: Float64Array): Float64Array {
  if (share === 0) return estimate;
  return estimate.map((p, k) => share * fit[k]! + (1 - share) * p);
}
