/**
 * The E-step for tasks known only to outlast an age, counted by the first bin their end may lie
 * in (`counts[k]`): each one's posterior is `probabilities` from its bin on, renormalised, so in
 * all bin `k` receives `probabilities[k] · factors[k]`, with `factors[k]` the sum over `f ≤ k` of
 * `counts[f] / survival[f]`. Fills `survival` (the mass from each bin on; 0 past `last`) and
 * `factors` for bins `0..last`. A bin whose tasks find no mass from it on (`survival` 0) adds
 * nothing: what to do with those tasks is the caller's. O(last).
 *
 * @param probabilities - the estimate, per bin
 * @param counts - the tasks counted per bin
 * @param last - the last bin taken (`survival` must have room for `last + 1`)
 * @param survival - written: the mass of `probabilities` from each bin on
 * @param factors - written: each bin's factor (may be the array the caller then turns into its result)
 * @internal
 */
export function survivorFactors(probabilities: Float64Array, counts: Float64Array, last: number, survival: Float64Array, factors: Float64Array): void {
  survival[last + 1] = 0;
  for (let k = last; k >= 0; k--) survival[k] = survival[k + 1]! + probabilities[k]!;
  let factor = 0;
  for (let k = 0; k <= last; k++) {
    if (counts[k]! > 0 && survival[k]! > 0) factor += counts[k]! / survival[k]!;
    factors[k] = factor;
  }
}
