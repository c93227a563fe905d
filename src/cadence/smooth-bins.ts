/** The prefix sums, kept from one call to the next (`prefixes[0]` is always 0). */
let prefixes = new Float64Array(1);
/** The result, kept from one call to the next. */
let smoothed = new Float64Array(0);
/** The widest windows of the last grid and settings asked for (see `widestWindows`). */
let widestFor: { edges: Float64Array; minHalfWidth: number; maxShare: number; widest: Float64Array } = { edges: new Float64Array(0), minHalfWidth: 0, maxShare: 0, widest: new Float64Array(0) };

/** Per bin, the widest half-window allowed: ±`maxShare` of its age, at least `minHalfWidth` bins. Fixed for a grid, so computed once for it. */
function widestWindows(edges: Float64Array, minHalfWidth: number, maxShare: number): Float64Array {
  if (widestFor.edges !== edges || widestFor.minHalfWidth !== minHalfWidth || widestFor.maxShare !== maxShare) {
    const widest = new Float64Array(edges.length);
    for (let k = 1; k < edges.length; k++) widest[k] = Math.max(minHalfWidth, Math.floor((maxShare * edges[k]!) / (edges[k]! - edges[k - 1]!)));
    widestFor = { edges, minHalfWidth, maxShare, widest };
  }
  return widestFor.widest;
}

/**
 * The bins averaged over a window around each (nearest-neighbour bandwidth): the narrowest window
 * of at least `minHalfWidth` bins either side that holds `minMass` of the probability, but never
 * wider than ±`maxShare` of the bin's age, found on prefix sums (kept between calls) starting from the previous bin's
 * window (it changes little), so about O(bins). Where tasks are many the estimate keeps its
 * detail; where they are few (the tail) it is averaged widely; and mass is never carried far from
 * where tasks finished. Planning against a raw estimate would place reads just after its chance
 * peaks and promise less lag than the tasks then show.
 * The first and last entries (age 0, beyond the grid) are kept as they are, and so is the total.
 * The result is an array kept between calls: the next call overwrites it.
 *
 * @internal
 */
export function smoothBins(edges: Float64Array, probabilities: Float64Array, minMass: number, minHalfWidth: number, maxShare: number): Float64Array {
  const bins = probabilities.length - 1;
  if (prefixes.length < bins + 1) prefixes = new Float64Array(bins + 1);
  const prefix = prefixes;
  for (let k = 0; k < bins; k++) prefix[k + 1] = prefix[k]! + probabilities[k]!;
  const massWithin = (k: number, h: number) => prefix[Math.min(bins - 1, k + h) + 1]! - prefix[Math.max(1, k - h)]!;
  if (smoothed.length !== probabilities.length) smoothed = new Float64Array(probabilities.length);
  const out = smoothed;
  const widestWindow = widestWindows(edges, minHalfWidth, maxShare);
  let total = 0;
  let h = minHalfWidth;
  for (let k = 1; k < bins; k++) {
    // The window changes little from one bin to the next: start from the last one's.
    const widest = widestWindow[k]!;
    h = Math.min(Math.max(h, minHalfWidth), widest);
    while (h > minHalfWidth && massWithin(k, h - 1) >= minMass) h--;
    while (h < widest && massWithin(k, h) < minMass) h++;
    const from = Math.max(1, k - h);
    const to = Math.min(bins - 1, k + h);
    out[k] = (prefix[to + 1]! - prefix[from]!) / (to - from + 1);
    total += out[k]!;
  }
  const inside = prefix[bins]! - probabilities[0]!;
  if (total > 0) for (let k = 1; k < bins; k++) out[k] = (out[k]! * inside) / total;
  out[0] = probabilities[0]!;
  out[bins] = probabilities[bins]!;
  return out;
}
