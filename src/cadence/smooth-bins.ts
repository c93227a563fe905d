/**
 * The bins averaged over a window of `2·halfWidth + 1` neighbours (fewer at the ends), by
 * prefix sums in O(bins). Planning against a raw estimate would place reads just after its
 * chance peaks and promise less lag than the tasks then show; the smoothed one does not.
 * The last entry (the mass beyond the grid) is kept as it is.
 *
 * @internal
 */
export function smoothBins(probabilities: Float64Array, halfWidth: number): Float64Array {
  const bins = probabilities.length - 1;
  const prefix = new Float64Array(bins + 1);
  for (let k = 0; k < bins; k++) prefix[k + 1] = prefix[k]! + probabilities[k]!;
  const out = new Float64Array(probabilities.length);
  let total = 0;
  for (let k = 1; k < bins; k++) {
    const from = Math.max(1, k - halfWidth);
    const to = Math.min(bins - 1, k + halfWidth);
    out[k] = (prefix[to + 1]! - prefix[from]!) / (to - from + 1);
    total += out[k]!;
  }
  // Keep the grid's total mass as it was.
  const inside = prefix[bins]! - probabilities[0]!;
  if (total > 0) for (let k = 1; k < bins; k++) out[k] = (out[k]! * inside) / total;
  out[0] = probabilities[0]!;
  out[bins] = probabilities[bins]!;
  return out;
}
