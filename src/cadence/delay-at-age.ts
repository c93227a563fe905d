import { edgeAtOrBelow, type DurationGrid } from './duration-grid.js';
import type { InspectionPlan } from './inspection-plan.js';

/**
 * The delay a plan gives a task whose non-terminal read came at `ageMs`: the plan's delays at the
 * grid edges around that age, interpolated linearly, then kept within `[minMs, maxMs]`. O(log bins).
 *
 * @internal
 */
export function delayAtAge(grid: DurationGrid, plan: InspectionPlan, ageMs: number, minMs: number, maxMs: number): number {
  const age = Number.isFinite(ageMs) ? Math.max(0, ageMs) : 0;
  const i = edgeAtOrBelow(grid, age);
  const { edges } = grid;
  const { delays } = plan;
  let delay = delays[i]!;
  if (i + 1 < edges.length) {
    const share = (age - edges[i]!) / (edges[i + 1]! - edges[i]!);
    delay += (delays[i + 1]! - delay) * share;
  }
  return Math.min(maxMs, Math.max(minMs, delay));
}
