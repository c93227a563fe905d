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
  /** Format version: 3 since the first gap is explored (2 since the change detector; versions 1 and 2 are still read). */
  version: 3;
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
  /** How many tasks the estimate stands for (the prior's or a restart's weight plus the observations since; what the learning step counts). */
  weight: number;
  /** Probability of each grid bin (the first is age 0, the last beyond the grid). */
  distribution: number[];
  /** The same, from the fast-forgetting estimate the change detector compares against. */
  recentDistribution: number[];
  /** How much better the recent estimate explained the latest tasks (log-likelihood ratio, ≥ 0). */
  evidence: number;
  /** The observations since the evidence was last 0, `[runningAtMs, finishedByMs or null]`. */
  sinceChange: [number, number | null][];
  /** The price of a request in ms of lag, as tuned so far. */
  requestCost: number;
  /** The mean detection lag recent tasks showed, in ms. */
  achievedLagMs: number;
  /** The lag the plan aims at, as a share of `meanLagMs`. */
  aim: number;
  /** The share of the finished tasks that ended in the first gap between reads (exploration is on from 0.2). */
  firstGapShare: number;
  /** The explored tasks the shape inside the first gap is learned from, `[runningAtMs, finishedByMs or null]` (null: it ended past the gap). */
  explored: [number, number | null][];
  /** Where the sequence of explored tasks stands (as at the snapshot, not the plan). */
  exploration: {
    /** Tasks tracked while exploring was on. */
    tracked: number;
    /** How many of them were explored: one in 12 (written for readers; a resumed cadence goes by `tracked`). */
    explored: number;
  };
  /**
   * The observations learned since the last plan, `[runningAtMs, finishedByMs or null]`, with a
   * third number when the task was explored (where its first gap ended): the state above is as
   * at that plan, and a resumed cadence learns these again.
   */
  pending: ([number, number | null] | [number, number | null, number])[];
}

/** A version 2 snapshot: version 3 without exploration's state. @internal */
type CadenceSnapshotV2 = Omit<CadenceSnapshot, 'version' | 'firstGapShare' | 'explored' | 'exploration'> & { version: 2 };
/** A version 1 snapshot: version 2 without the change detector's state. @internal */
type CadenceSnapshotV1 = Omit<CadenceSnapshotV2, 'version' | 'weight' | 'recentDistribution' | 'evidence' | 'sinceChange'> & { version: 1; surprise: number };

/**
 * Checks a snapshot from outside (version 3; 2: read as no task explored yet; 1: also as a
 * detector that has seen nothing change, its estimate worth its observations plus
 * `priorWeight`); throws `TypeError` naming what is wrong.
 *
 * @internal
 */
export function assertSnapshot(value: unknown, priorWeight: number): CadenceSnapshot {
  const bad = (what: string) => optionError('snapshot', `a CadenceSnapshot from cadence.snapshot() (${what})`, JSON.stringify(value)?.slice(0, 80));
  if (typeof value !== 'object' || value === null) throw bad('not an object');
  const s = value as Partial<Omit<CadenceSnapshot, 'version'>> & { version?: unknown };
  if (s.version !== 1 && s.version !== 2 && s.version !== 3) throw bad('version 1, 2 or 3');
  const isDistribution = (d: unknown) => Array.isArray(d) && d.length === cadenceGrid.edges.length + 1 && d.every((p) => typeof p === 'number' && p >= 0 && p <= 1) && d.reduce((a: number, b: number) => a + b, 0) > 0;
  const grid = s.grid;
  if (!grid || grid.stepMs !== CADENCE_GRID_SPEC.stepMs || grid.growth !== CADENCE_GRID_SPEC.growth || grid.horizonMs !== CADENCE_GRID_SPEC.horizonMs) throw bad('another grid');
  if (!isDistribution(s.distribution)) throw bad('distribution');
  if (!Number.isInteger(s.observed) || (s.observed as number) < 0) throw bad('observed');
  if (typeof s.requestCost !== 'number' || !(s.requestCost > 0) || !Number.isFinite(s.requestCost)) throw bad('requestCost');
  if (typeof s.achievedLagMs !== 'number' || !(s.achievedLagMs >= 0) || !Number.isFinite(s.achievedLagMs)) throw bad('achievedLagMs');
  if (typeof s.aim !== 'number' || !(s.aim >= 0.5 && s.aim <= 2)) throw bad('aim');
  const isAge = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0;
  const isObservation = (o: unknown) => Array.isArray(o) && (o.length === 2 || (o.length === 3 && isAge(o[2]))) && isAge(o[0]) && (o[1] === null || isAge(o[1]));
  const isObservations = (list: unknown, explored = false) => Array.isArray(list) && list.every((o) => isObservation(o) && (explored || o.length === 2));
  if (!isObservations(s.pending, s.version === 3)) throw bad('pending');
  const noneExplored = { firstGapShare: 0, explored: [], exploration: { tracked: 0, explored: 0 } };
  if (s.version === 1) {
    const { surprise: _unused, ...v1 } = s as unknown as CadenceSnapshotV1;
    return { ...v1, version: 3, weight: v1.observed + priorWeight, recentDistribution: v1.distribution, evidence: 0, sinceChange: [], ...noneExplored };
  }
  if (typeof s.weight !== 'number' || !(s.weight >= 0) || !Number.isFinite(s.weight)) throw bad('weight');
  if (!isObservations(s.sinceChange)) throw bad('sinceChange');
  if (!isDistribution(s.recentDistribution)) throw bad('recentDistribution');
  if (typeof s.evidence !== 'number' || !(s.evidence >= 0) || !Number.isFinite(s.evidence)) throw bad('evidence');
  if (s.version === 2) return { ...(s as CadenceSnapshotV2), version: 3, ...noneExplored };
  if (typeof s.firstGapShare !== 'number' || !(s.firstGapShare >= 0 && s.firstGapShare <= 1)) throw bad('firstGapShare');
  if (!isObservations(s.explored)) throw bad('explored');
  const count = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;
  if (!s.exploration || !count(s.exploration.tracked) || !count(s.exploration.explored)) throw bad('exploration');
  return s as CadenceSnapshot;
}
