/**
 * A distribution-free confidence interval for the median of `values`: the order statistics
 * `x(k)` and `x(n−k+1)`, with `k` the largest rank such that a Binomial(n, ½) falls below it with
 * probability at most `(1 − level) / 2` (so the interval covers the median at least `level` of the
 * time, whatever the distribution). Needs at least 6 values for 95 %; with fewer, undefined.
 *
 * @example
 * medianInterval([3, 1, 4, 1, 5, 9, 2, 6, 5, 3]) // { low: 1, high: 6, level: 0.9785… }
 */
export function medianInterval(values, level = 0.95) {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  const tail = (1 - level) / 2;
  // P(X ≤ j) for X ~ Binomial(n, ½), summed term by term (n stays far below where ½ⁿ underflows).
  let term = 0.5 ** n;
  let below = term; // P(X ≤ 0)
  let k = 0; // the largest k with P(X ≤ k − 1) ≤ tail…
  let excluded = 0; // …and that P(X ≤ k − 1), the chance of each side missing the median
  for (let j = 0; j < n / 2 && below <= tail; j++) {
    k = j + 1;
    excluded = below;
    term *= (n - j) / (j + 1);
    below += term;
  }
  if (k === 0) return undefined;
  return { low: s[k - 1], high: s[n - k], level: 1 - 2 * excluded };
}
