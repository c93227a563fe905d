import { binAfter, binOverlap, edgeAtOrAbove, type DurationGrid } from './duration-grid.js';
import type { CadenceObservation } from './poll-cadence.js';

/** How the estimator weighs what it has seen against what it assumed. @internal */
export interface EstimatorWeights {
  /** The prior counts as this many observations at the start. */
  readonly priorWeight: number;
  /** The newest observation weighs at least `1 / memory`: older ones fade, so a shift is followed. */
  readonly memory: number;
  /** Share of the prior mixed into every update, so no duration ever becomes impossible. */
  readonly floor: number;
}

/** Follows a shift within a few hundred tasks; keeps a tenth of a per cent of the prior. @internal */
export const ESTIMATOR_WEIGHTS: EstimatorWeights = { priorWeight: 10, memory: 200, floor: 0.001 };

/**
 * A recency-weighted, one-pass Turnbull (self-consistency EM) estimate of the task-duration
 * distribution on a grid, from interval-censored and right-censored observations. Each
 * observation contributes its posterior over the bins — the current estimate restricted to the
 * ages it allows, renormalised (the E-step) — and the estimate moves toward it by a step
 * `η = max(1/memory, 1/(weight + 1))` (the M-step, with `weight` the tasks the estimate stands for, stochastic-approximation
 * style), with a share `floor` of each step going to the prior. The estimate is held as
 * `scale·mass + priorShare·prior`, so the decay of old observations costs O(1) and a finished task
 * costs O(bins between its two reads); a right-censored one O(bins). Deterministic: the same
 * observations in the same order give the same estimate.
 *
 * @internal
 */
export class DurationEstimator {
  private readonly mass: Float64Array;
  private scale = 1;
  private priorShare = 0;
  private count: number;
  /** How many tasks the estimate stands for: the prior's weight (or a restart's) plus the observations since; the step is `1/(weight + 1)` until it reaches `1/memory`. */
  private stands: number;
  private readonly posterior: Float64Array;

  /**
   * @param grid - the bins
   * @param prior - the prior's bin probabilities (one per bin, plus the mass beyond the grid)
   * @param start - the estimate to resume from, with how many observations made it (and how many tasks it stands for: by default those plus the prior's weight)
   */
  constructor(
    private readonly grid: DurationGrid,
    private readonly prior: Float64Array,
    private readonly weights: EstimatorWeights = ESTIMATOR_WEIGHTS,
    start?: { probabilities: ArrayLike<number>; observed: number; weight?: number | undefined },
  ) {
    this.mass = Float64Array.from(start?.probabilities ?? prior);
    this.count = start?.observed ?? 0;
    this.stands = start?.weight ?? this.count + weights.priorWeight;
    this.posterior = new Float64Array(prior.length);
  }

  /** Observations folded in so far. */
  get observed(): number {
    return this.count;
  }

  /** How many tasks the estimate stands for: the prior's weight (or a restart's) plus the observations since (what the step size counts). */
  get weight(): number {
    return this.stands;
  }

  /** How many tasks the estimate stands for now, up to `memory`. */
  get effectiveTasks(): number {
    return Math.min(this.weights.memory, this.stands);
  }

  /**
   * Takes over another estimate (on the same grid and prior) after the workload changed: its
   * probabilities, standing for only `weight` tasks, so the next observations move it fast and
   * the memory then grows back to `memory`; then learns `relearn` again (observations already
   * counted, made since the change). O(bins) plus O(bins) per observation relearned.
   */
  restartFrom(other: DurationEstimator, weight: number, relearn: readonly CadenceObservation[] = []): void {
    this.restartWith(other.probabilities(), weight, relearn);
  }

  /** {@link restartFrom}, from bin probabilities (one per bin, plus the mass beyond the grid). */
  restartWith(probabilities: ArrayLike<number>, weight: number, relearn: readonly CadenceObservation[] = []): void {
    for (let k = 0; k < this.mass.length; k++) this.mass[k] = probabilities[k]!;
    this.scale = 1;
    this.priorShare = 0;
    this.stands = weight;
    for (const observation of relearn) this.learn(observation);
  }

  /**
   * What the observations alone say, while that can be told apart from the prior: while the
   * estimate still stands for the prior's weight plus its observations (no restart, its memory not
   * reached), the prior's share is exactly `priorWeight / weight`; the rest, renormalised.
   * Otherwise undefined. O(bins).
   */
  withoutPrior(): Float64Array | undefined {
    const { priorWeight, memory } = this.weights;
    if (this.count === 0 || this.stands - this.count !== priorWeight || this.stands > memory) return undefined;
    const share = priorWeight / this.stands;
    const out = new Float64Array(this.mass.length);
    let total = 0;
    for (let k = 0; k < out.length; k++) total += out[k] = Math.max(0, this.probability(k) - share * this.prior[k]!);
    if (!(total > 0)) return undefined;
    for (let k = 0; k < out.length; k++) out[k] = out[k]! / total;
    return out;
  }

  /**
   * The probability the estimate gives an observation: of ending within `(runningAtMs,
   * finishedByMs]`, or of running beyond `runningAtMs`. O(bins between the two ages).
   */
  likelihood({ runningAtMs, finishedByMs }: CadenceObservation): number {
    const { first, last, from, to } = this.binsOf(runningAtMs, finishedByMs);
    const { edges } = this.grid;
    let weight = 0;
    for (let k = first; k <= last; k++) weight += (k >= edges.length ? 1 : binOverlap(edges[k - 1]!, edges[k]!, from, to)) * this.probability(k);
    return weight;
  }

  /** The bins an observation allows, and its two ages as used. */
  private binsOf(runningAtMs: number, finishedByMs: number | undefined): { first: number; last: number; from: number; to: number } {
    const bins = this.mass.length; // edges.length + 1: the last bin lies beyond the grid
    const from = Math.max(0, runningAtMs);
    const to = finishedByMs === undefined ? Infinity : Math.max(finishedByMs, from);
    const first = binAfter(this.grid, from);
    const last = to === Infinity ? bins - 1 : Math.max(first, edgeAtOrAbove(this.grid, to));
    return { first, last, from, to };
  }

  /** The current estimate: the probability of each bin, plus the mass beyond the grid (into `out` when given, else a new array). */
  probabilities(out = new Float64Array(this.mass.length)): Float64Array {
    for (let k = 0; k < out.length; k++) out[k] = this.probability(k);
    return out;
  }

  private probability(k: number): number {
    return this.scale * this.mass[k]! + this.priorShare * this.prior[k]!;
  }

  /**
   * Folds one task in: finished within `(runningAtMs, finishedByMs]`, or still running at
   * `runningAtMs`.
   */
  add(observation: CadenceObservation): void {
    this.learn(observation);
    this.count++;
  }

  /** One E-step and M-step for an observation. */
  private learn({ runningAtMs, finishedByMs }: CadenceObservation): void {
    const { edges } = this.grid;
    const { first, last, from, to } = this.binsOf(runningAtMs, finishedByMs);
    // E-step: the posterior over bins is the estimate times the overlap, renormalised; where the
    // estimate has no mass at all in the allowed ages, the overlap alone.
    const posterior = this.posterior;
    let weight = 0;
    let overlapTotal = 0;
    for (let k = first; k <= last; k++) {
      const overlap = k >= edges.length ? 1 : binOverlap(edges[k - 1]!, edges[k]!, from, to);
      posterior[k] = overlap;
      overlapTotal += overlap;
      weight += overlap * this.probability(k);
    }
    const useEstimate = weight > 0;
    const norm = useEstimate ? weight : overlapTotal;
    if (norm <= 0) return;
    for (let k = first; k <= last; k++) posterior[k] = (posterior[k]! * (useEstimate ? this.probability(k) : 1)) / norm;
    // M-step: p ← (1−η)·p + η·floor·prior + η·(1−floor)·posterior, with the decay in the scale.
    const { floor, memory } = this.weights;
    const step = Math.max(1 / memory, 1 / (this.stands + 1));
    this.scale *= 1 - step;
    this.priorShare = (1 - step) * this.priorShare + step * floor;
    const add = (step * (1 - floor)) / this.scale;
    for (let k = first; k <= last; k++) this.mass[k] = this.mass[k]! + add * posterior[k]!;
    if (this.scale < 1e-150) this.rescale();
    this.stands++;
  }

  /**
   * Holds the estimate as its plain probabilities (the scale and the prior's share folded into
   * the stored mass), which is how one resumed from them starts: from here on the two compute
   * alike to the last bit. The same estimate; O(bins).
   */
  settle(): void {
    for (let k = 0; k < this.mass.length; k++) this.mass[k] = this.probability(k);
    this.scale = 1;
    this.priorShare = 0;
  }

  /** Folds the scale into the stored mass before it underflows (once per ~70,000 observations). */
  private rescale(): void {
    for (let k = 0; k < this.mass.length; k++) this.mass[k] = this.mass[k]! * this.scale;
    this.scale = 1;
  }
}
