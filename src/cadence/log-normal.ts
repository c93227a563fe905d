/**
 * The standard normal CDF Φ(z), from the complementary error function (W. J. Cody's rational
 * approximation as in Numerical Recipes' `erfcc`, relative error below 1.2e-7); 0 and 1 beyond 9σ.
 *
 * @internal
 */
export function normalCdf(z: number): number {
  if (z > 9) return 1; // Φ(−9) ≈ 1e-19: beyond what a double adds to 1
  if (z < -9) return 0;
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/**
 * P(X ≤ x) for a log-normal X with the given median and σ (of the log).
 *
 * @internal
 */
export function logNormalCdf(x: number, medianMs: number, sigma: number): number {
  return x <= 0 ? 0 : normalCdf(Math.log(x / medianMs) / sigma);
}

/**
 * The probability of each bin of `edges` under a CDF: `out[k] = F(edges[k]) − F(edges[k−1])` for
 * `k ≥ 1`, `out[0] = 0`, and `out[edges.length]` the mass beyond the last edge.
 *
 * @internal
 */
export function binProbabilities(edges: Float64Array, cdf: (x: number) => number): Float64Array {
  const out = new Float64Array(edges.length + 1);
  let previous = cdf(edges[0]!);
  for (let k = 1; k < edges.length; k++) {
    const current = cdf(edges[k]!);
    out[k] = Math.max(0, current - previous);
    previous = current;
  }
  out[edges.length] = Math.max(0, 1 - previous);
  return out;
}
