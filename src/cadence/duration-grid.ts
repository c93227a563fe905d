/**
 * The time grid the cadence learns and plans on: ages (ms since a task was created) at which it
 * may read. Uniform steps of `stepMs` while they are finer than `growth` of the age, then
 * geometric steps (each edge `1 + growth` times the one before) up to `horizonMs`. Bin `k`
 * (1-based) is the age range `(edges[k−1], edges[k]]`; one extra bin holds everything beyond the
 * horizon.
 *
 * @internal
 */
export interface DurationGrid {
  /** `edges[0] = 0`, strictly increasing, last one ≥ `horizonMs`. */
  readonly edges: Float64Array;
  readonly stepMs: number;
  readonly growth: number;
  readonly horizonMs: number;
}

/** The grid every adaptive cadence uses: 0.5 s steps to 100 s, then 0.5% steps to 4 hours (1,197 bins). */
export const CADENCE_GRID_SPEC = { stepMs: 500, growth: 0.005, horizonMs: 4 * 3_600_000 } as const;

/**
 * Builds a grid from its three numbers; the same numbers always give the same edges.
 *
 * @internal
 */
export function durationGrid({ stepMs, growth, horizonMs }: { stepMs: number; growth: number; horizonMs: number }): DurationGrid {
  const edges = [0];
  let edge = 0;
  while (edge < horizonMs) {
    edge = growth > 0 ? Math.max(edge + stepMs, edge * (1 + growth)) : edge + stepMs;
    edges.push(edge);
  }
  return { edges: Float64Array.from(edges), stepMs, growth, horizonMs };
}

/**
 * The grid edge at or below `ageMs`: the largest `i` with `edges[i] ≤ ageMs` (binary search).
 *
 * @internal
 */
export function edgeAtOrBelow(grid: Pick<DurationGrid, 'edges'>, ageMs: number): number {
  const { edges } = grid;
  let low = 0;
  let high = edges.length - 1;
  if (ageMs >= edges[high]!) return high;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (edges[mid]! <= ageMs) low = mid;
    else high = mid;
  }
  return low;
}

/**
 * The first bin a duration longer than `ageMs` may lie in: the one after the grid edge at or below
 * it (bin `k` is `(edges[k−1], edges[k]]`), or `edges.length`, the bin beyond the grid, when
 * `ageMs` is at or past the last edge.
 *
 * @internal
 */
export function binAfter(grid: Pick<DurationGrid, 'edges'>, ageMs: number): number {
  return edgeAtOrBelow(grid, ageMs) + 1;
}

/**
 * The grid edge at or above `ageMs`: the smallest `i` with `edges[i] ≥ ageMs` (so bin `i` is the
 * last one a duration of at most `ageMs` may lie in), or `edges.length` when `ageMs` is past the
 * last edge.
 *
 * @internal
 */
export function edgeAtOrAbove(grid: Pick<DurationGrid, 'edges'>, ageMs: number): number {
  const below = edgeAtOrBelow(grid, ageMs);
  return grid.edges[below] === ageMs ? below : below + 1;
}

/** The cadence's grid, built once. @internal */
export const cadenceGrid: DurationGrid = /* @__PURE__ */ durationGrid(CADENCE_GRID_SPEC);

/**
 * The share of the bin `(low, high]` that lies inside `(from, to]`, assuming uniform mass in the
 * bin; a point (`to ≤ from`) counts all of its bin.
 *
 * @internal
 */
export function binOverlap(low: number, high: number, from: number, to: number): number {
  if (to <= from) return to > low && to <= high ? 1 : 0;
  return Math.max(0, Math.min(high, to) - Math.max(low, from)) / (high - low);
}
