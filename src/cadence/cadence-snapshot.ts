import { optionError } from '../util/assert-option.js';
import { CADENCE_GRID_SPEC, cadenceGrid } from './duration-grid.js';

/**
 * The learned state of an adaptive cadence, as plain JSON: pass it back as `snapshot` (in this or
 * another process) and the cadence schedules exactly as the one it came from.
 *
 * @example
 * ```ts
 * import { adaptiveCadence, type CadenceSnapshot } from 'camb-rx';
 * const saved: CadenceSnapshot = adaptiveCadence().snapshot();
 * const resumed = adaptiveCadence({ snapshot: JSON.parse(JSON.stringify(saved)) });
 * ```
 */
export interface CadenceSnapshot {
  /** Format version. */
  version: 1;
  /** The grid the distribution is on: 0.5 s steps, then 0.5% steps, to 4 h. */
  grid: {
    /** The uniform step, in ms. */
    stepMs: number;
    /** The geometric step, as a share of the age. */
    growth: number;
    /** The last edge, in ms. */
    horizonMs: number;
  };
  /** Observations learned from so far. */
  observed: number;
  /** Probability of each grid bin (the first is age 0, the last beyond the grid). */
  distribution: number[];
  /** The price of a request in ms of lag, as tuned so far. */
  requestCost: number;
  /** The mean detection lag recent tasks showed, in ms. */
  achievedLagMs: number;
  /** The lag the plan aims at, as a share of `meanLagMs`. */
  aim: number;
  /** Recent share of tasks that ended in a tail of the planned distribution. */
  surprise: number;
  /** Observations not yet folded in (they are folded in batches): `[runningAtMs, finishedByMs or null]`. */
  pending: [number, number | null][];
}

/**
 * Checks a snapshot from outside; throws `TypeError` naming what is wrong.
 *
 * @internal
 */
export function assertSnapshot(value: unknown): CadenceSnapshot {
  const bad = (what: string) => optionError('snapshot', `a CadenceSnapshot from cadence.snapshot() (${what})`, JSON.stringify(value)?.slice(0, 80));
  if (typeof value !== 'object' || value === null) throw bad('not an object');
  const s = value as Partial<CadenceSnapshot>;
  if (s.version !== 1) throw bad('version 1');
  const grid = s.grid;
  if (!grid || grid.stepMs !== CADENCE_GRID_SPEC.stepMs || grid.growth !== CADENCE_GRID_SPEC.growth || grid.horizonMs !== CADENCE_GRID_SPEC.horizonMs) throw bad('another grid');
  const d = s.distribution;
  if (!Array.isArray(d) || d.length !== cadenceGrid.edges.length + 1 || !d.every((p) => typeof p === 'number' && p >= 0 && p <= 1)) throw bad('distribution');
  if (!(d.reduce((a, b) => a + b, 0) > 0)) throw bad('empty distribution');
  if (!Number.isInteger(s.observed) || (s.observed as number) < 0) throw bad('observed');
  if (typeof s.requestCost !== 'number' || !(s.requestCost > 0) || !Number.isFinite(s.requestCost)) throw bad('requestCost');
  if (typeof s.achievedLagMs !== 'number' || !(s.achievedLagMs >= 0) || !Number.isFinite(s.achievedLagMs)) throw bad('achievedLagMs');
  if (typeof s.aim !== 'number' || !(s.aim >= 0.5 && s.aim <= 2)) throw bad('aim');
  if (typeof s.surprise !== 'number' || !(s.surprise >= 0 && s.surprise <= 1)) throw bad('surprise');
  const isAge = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0;
  if (!Array.isArray(s.pending) || !s.pending.every((o) => Array.isArray(o) && o.length === 2 && isAge(o[0]) && (o[1] === null || isAge(o[1])))) throw bad('pending');
  return s as CadenceSnapshot;
}
