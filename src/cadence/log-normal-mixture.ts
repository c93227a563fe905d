import { normalCdf } from './log-normal.js';

/** At most this many EM iterations of the two-component fit (from the split it starts from, 5 bring a clear second kind of task close enough that the economy over three seeds is the same as with 12; more, on a shape two log-normals cannot take, buys nothing the Kolmogorov check keeps). */
const ITERATIONS = 5;
/** The fit has settled once an iteration moves the weight and the two means (log scale: 0.01% of a duration) less than this in all. */
const SETTLED = 1e-4;
/** A bin with less than this share of the estimate's mass is left out of EM (all 1,200 bins at this share would hold 0.12%). */
const NEGLIGIBLE_MASS = 1e-6;
/** No component narrower than this σ of the log duration (a component on one bin explains nothing). */
const MIN_SIGMA = 0.05;

/**
 * The CDF, at each edge, of the mixture of two log-normals fitted by EM to a binned estimate (each
 * bin's mass at the log of its midpoint): the shape a log-normal fit cannot take when tasks come
 * in two kinds (short and long ones). Starts from the estimate split in two where the two sides differ
 * most (Otsu's threshold), so the same estimate always gives the same fit. O(bins), then O(runs of bins) per iteration.
 *
 * @param logMid - the log of each bin's midpoint (index 0 unused)
 * @param logEdge - the log of each edge
 * @param probabilities - the estimate's bin probabilities (the first at age 0, the last beyond the grid)
 * @param total - the estimate's mass in bins `1 … edges.length − 1`
 * @returns `cdf[k]`: the fit's P(duration ≤ `edges[k]`) for `1 ≤ k < edges.length` (one entry more, left 0, for the caller to fill),
 *   in an array kept between calls, which the next call overwrites
 * @internal
 */
export function twoLogNormalCdf(logMid: Float64Array, logEdge: Float64Array, probabilities: Float64Array, total: number): Float64Array {
  const n = logEdge.length;
  // The start: the estimate split where the two sides' means are furthest apart for their masses
  // (Otsu's threshold, the largest between-side variance), each side as one component.
  let mean = 0;
  let squares = 0;
  for (let k = 1; k < n; k++) {
    mean += (probabilities[k]! / total) * logMid[k]!;
    squares += (probabilities[k]! / total) * logMid[k]! * logMid[k]!;
  }
  let split = 0;
  let best = -1;
  let below = 0;
  let belowSum = 0;
  let belowSquares = 0;
  let lowMass = 0;
  let lowSum = 0;
  let lowSquares = 0;
  for (let k = 1; k < n - 1; k++) {
    const p = probabilities[k]! / total;
    below += p;
    belowSum += p * logMid[k]!;
    belowSquares += p * logMid[k]! * logMid[k]!;
    if (!(below > 1e-6 && below < 1 - 1e-6)) continue;
    const between = (mean * below - belowSum) ** 2 / (below * (1 - below));
    if (between > best) {
      split = k;
      best = between;
      lowMass = below;
      lowSum = belowSum;
      lowSquares = belowSquares;
    }
  }
  if (split === 0) return new Float64Array(n + 1); // one bin holds everything: no second component to find
  let weight = lowMass;
  let meanA = lowSum / lowMass;
  let meanB = (mean - lowSum) / (1 - lowMass);
  let sdA = Math.sqrt(Math.max(MIN_SIGMA ** 2, lowSquares / lowMass - meanA * meanA));
  let sdB = Math.sqrt(Math.max(MIN_SIGMA ** 2, (squares - lowSquares) / (1 - lowMass) - meanB * meanB));
  // (Plain variables throughout: V8 does not always optimise array destructuring away, and here
  // it allocated about 150 bytes per group and iteration.)
  const groups = massGroups(logMid, probabilities, total);
  const { mass, sum: sums, squares: sumsOfSquares } = groups;
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    let massA = 0;
    let sumA = 0;
    let squaresA = 0;
    // B's density over A's is `odds·e^((za² − zb²)/2)`: one exponential per group, and where both
    // densities would underflow the ratio still says which is nearer.
    const odds = ((1 - weight) * sdA) / (weight * sdB);
    for (let g = 0; g < groups.count; g++) {
      const p = mass[g]!;
      const sum = sums[g]!;
      const x = sum / p;
      const za = (x - meanA) / sdA;
      const zb = (x - meanB) / sdB;
      const shareA = 1 / (1 + odds * Math.exp(0.5 * (za * za - zb * zb)));
      massA += shareA * p;
      sumA += shareA * sum;
      squaresA += shareA * sumsOfSquares[g]!;
    }
    const massB = groups.totalMass - massA;
    const sumB = groups.totalSum - sumA;
    const squaresB = groups.totalSquares - squaresA;
    if (!(massA > 1e-6 && massB > 1e-6)) break; // one component took everything: the one-log-normal fit is that
    const step = Math.abs(massA / groups.totalMass - weight) + Math.abs(sumA / massA - meanA) + Math.abs(sumB / massB - meanB);
    weight = massA / groups.totalMass;
    meanA = sumA / massA;
    meanB = sumB / massB;
    sdA = Math.sqrt(Math.max(MIN_SIGMA ** 2, squaresA / massA - meanA * meanA));
    sdB = Math.sqrt(Math.max(MIN_SIGMA ** 2, squaresB / massB - meanB * meanB));
    if (step < SETTLED) break;
  }
  if (mixtureCdf.length !== n + 1) mixtureCdf = new Float64Array(n + 1);
  const cdf = mixtureCdf;
  cdf[0] = cdf[n] = 0;
  for (let k = 1; k < n; k++) cdf[k] = weight * normalCdf((logEdge[k]! - meanA) / sdA) + (1 - weight) * normalCdf((logEdge[k]! - meanB) / sdB);
  return cdf;
}

/** The mixture's CDF, kept between calls. */
let mixtureCdf = new Float64Array(0);
/** {@link massGroups}' sums per run, kept between calls. */
let groupSums = { mass: new Float64Array(0), sum: new Float64Array(0), squares: new Float64Array(0) };

/** The estimate's bins that hold mass, as runs at most this wide on the log scale (half the narrowest component's σ: across one, a component's share changes little). */
const GROUP_WIDTH = MIN_SIGMA / 2;

/**
 * The bins that hold mass (the rest, together under 0.12% of it, cannot move the fit), merged
 * into runs of neighbours at most `GROUP_WIDTH` wide: each run's mass and its mass-weighted sums of
 * the log midpoint and its square, so EM's M-step stays exact for a share that is the same across
 * a run, and costs O(runs) per iteration rather than O(bins).
 */
function massGroups(logMid: Float64Array, probabilities: Float64Array, total: number) {
  if (groupSums.mass.length !== logMid.length) groupSums = { mass: new Float64Array(logMid.length), sum: new Float64Array(logMid.length), squares: new Float64Array(logMid.length) };
  const { mass, sum, squares } = groupSums;
  let count = 0;
  let start = -Infinity;
  for (let k = 1; k < logMid.length; k++) {
    const p = probabilities[k]! / total;
    if (p < NEGLIGIBLE_MASS) continue;
    const x = logMid[k]!;
    if (x - start > GROUP_WIDTH) {
      count++;
      start = x;
      mass[count - 1] = sum[count - 1] = squares[count - 1] = 0;
    }
    mass[count - 1] = mass[count - 1]! + p;
    sum[count - 1] = sum[count - 1]! + p * x;
    squares[count - 1] = squares[count - 1]! + p * x * x;
  }
  let totalMass = 0;
  let totalSum = 0;
  let totalSquares = 0;
  for (let g = 0; g < count; g++) {
    totalMass += mass[g]!;
    totalSum += sum[g]!;
    totalSquares += squares[g]!;
  }
  return { count, mass, sum, squares, totalMass, totalSum, totalSquares };
}
