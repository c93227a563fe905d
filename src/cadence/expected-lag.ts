import { binAfter, binOverlap, edgeAtOrAbove, type DurationGrid } from './duration-grid.js';

/**
 * The expected detection lag of a task known to have finished within `(runningAtMs,
 * finishedByMs]`, under a distribution on the grid: `finishedByMs` minus the expected finish
 * given that interval (uniform within each bin). What the finished tasks' lag was, as far as
 * their two reads can tell; with every task read at the same ages it is only as right as the
 * distribution's shape inside the gaps between reads. O(bins between the two reads).
 *
 * @param grid - the bins
 * @param probabilities - each bin's probability (the first at age 0, the last beyond the grid)
 * @param runningAtMs - the last read that saw the task running
 * @param finishedByMs - the read that saw it done
 * @returns the expected lag in ms (0 when the distribution puts no mass in the interval: then uniform)
 * @internal
 */
export function expectedLagMs(grid: DurationGrid, probabilities: Float64Array, runningAtMs: number, finishedByMs: number): number {
  const { edges } = grid;
  const from = Math.max(0, runningAtMs);
  const to = Math.max(finishedByMs, from);
  if (to === from) return 0;
  const first = binAfter(grid, from);
  const last = Math.min(edges.length - 1, edgeAtOrAbove(grid, to));
  let weight = 0;
  let finish = 0;
  for (let k = first; k <= last; k++) {
    const mass = binOverlap(edges[k - 1]!, edges[k]!, from, to) * probabilities[k]!;
    weight += mass;
    finish += mass * (Math.max(edges[k - 1]!, from) + Math.min(edges[k]!, to)) / 2;
  }
  return weight > 0 ? Math.max(0, to - finish / weight) : (to - from) / 2;
}
