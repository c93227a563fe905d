/**
 * How far the observations' own estimate may stray from the prior, in units of its sampling noise
 * `1/√tasks` (the Kolmogorov distance scaled), before the prior is taken to be wrong: about the
 * Kolmogorov test's 0.1% critical value, so a prior that is only roughly right is kept.
 */
const PRIOR_REFUTED = 1.95;

/**
 * Whether the tasks seen so far refute the prior: the Kolmogorov distance between their own
 * estimate and the prior, scaled by `√tasks`, is beyond `PRIOR_REFUTED`. O(bins).
 *
 * @param observed - the observations' own estimate (bin probabilities, the last beyond the grid)
 * @param prior - the prior's, on the same bins
 * @param tasks - how many observations made `observed`
 * @internal
 */
export function priorRefuted(observed: Float64Array, prior: Float64Array, tasks: number): boolean {
  let distance = 0;
  let gap = 0;
  for (let k = 0; k < observed.length; k++) {
    gap += observed[k]! - prior[k]!;
    distance = Math.max(distance, Math.abs(gap));
  }
  return distance * Math.sqrt(tasks) > PRIOR_REFUTED;
}
