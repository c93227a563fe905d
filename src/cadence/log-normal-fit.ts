import { binProbabilities, logNormalCdf } from './log-normal.js';

/** How far a fit may stray from the estimate, in units of its sampling noise `1/√tasks` (the Kolmogorov distance scaled)… */
const FIT_TRUSTED = 1;
/** …and from how far it is not used at all; in between, the two are mixed. */
const FIT_REJECTED = 2;

/**
 * Shrinks a nonparametric estimate toward the log-normal with the same mean and variance of the
 * log duration, as far as that log-normal is consistent with it: the Kolmogorov distance between
 * the two, scaled by the estimate's noise `1/√tasks`, is at most `FIT_TRUSTED` (the fit is used
 * alone) or at least `FIT_REJECTED` (the estimate is used alone), mixed linearly in between. The
 * fit fills what reads at the same ages cannot see (the shape of the distribution inside the gaps
 * between reads) and steadies the estimate while tasks are few; the check keeps any other shape
 * (bimodal, heavy-tailed) to the estimate. O(bins).
 *
 * @param edges - the grid's edges
 * @param probabilities - the estimate's bin probabilities (the first at age 0, the last beyond the grid)
 * @param smoothed - the same estimate smoothed for planning, used where the fit is not
 * @param tasks - how many tasks the estimate stands for
 * @returns the probabilities to plan with (a new array)
 * @internal
 */
export function shrinkToLogNormal(edges: Float64Array, probabilities: Float64Array, smoothed: Float64Array, tasks: number): Float64Array {
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
  if (!(total > 0)) return smoothed;
  const mu = sum / total;
  const sigma = Math.sqrt(Math.max(1e-6, squares / total - mu * mu));
  const medianMs = Math.exp(mu);
  const inside = total / (total + probabilities[0]! + probabilities[n]!);
  let distance = 0;
  let cumulative = 0;
  for (let k = 1; k < n; k++) {
    cumulative += probabilities[k]! / total;
    distance = Math.max(distance, Math.abs(cumulative - logNormalCdf(edges[k]!, medianMs, sigma)));
  }
  const share = Math.min(1, Math.max(0, (FIT_REJECTED - distance * Math.sqrt(tasks)) / (FIT_REJECTED - FIT_TRUSTED)));
  if (share === 0) return smoothed;
  const fit = binProbabilities(edges, (x) => logNormalCdf(x, medianMs, sigma));
  const out = new Float64Array(smoothed.length);
  for (let k = 0; k < out.length; k++) out[k] = share * inside * fit[k]! + (1 - share) * smoothed[k]!;
  return out;
}
