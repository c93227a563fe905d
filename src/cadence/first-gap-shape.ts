import { binAfter, binOverlap, edgeAtOrAbove, edgeAtOrBelow, type DurationGrid } from './duration-grid.js';
import { survivorFactors } from './survivor-factors.js';

/** The latest explored tasks kept to learn from (about 3,000 tasks' worth at one explored in 12). */
const CAPACITY = 256;
/** EM iterations per reshape: the lag inside the gap settles within 5. */
const ITERATIONS = 5;
/** What the shape it is given counts for, in tasks, against the explored tasks kept. */
const GIVEN_WEIGHT = 4;
/** Kept intervals are followed this far past the gap (in gaps); beyond, one bin stands for the rest. */
const REACH = 4;

/**
 * The shape of task durations inside the first gap between reads: from a task's first read, at
 * age 0, to the plan's next one. Every task is read at those same two ages, so the estimate only
 * knows how many tasks end inside, not where, and the lag it reads from them is as right as the
 * shape it assumed. A few tasks read once more inside the gap (explored: `ExploringTask`)
 * tell where; a full EM (Turnbull) over the latest explored tasks, wherever they ended, learns the
 * shape (explored tasks are a fair sample: which task is explored does not depend on its
 * duration). O(1) per task kept; O(iterations · tasks kept · bins they span) per reshape.
 *
 * @internal
 */
export class FirstGapShape {
  private readonly from = new Float64Array(CAPACITY);
  /** `Infinity`: still running at `from` (it ended past the gap, or was not seen to end). */
  private readonly to = new Float64Array(CAPACITY);
  private size = 0;
  private next = 0;
  /** A copy of the kept tasks as the last reshape saw them. */
  private readonly atReshape = { from: new Float64Array(CAPACITY), to: new Float64Array(CAPACITY), size: 0, next: 0 };
  /** The EM's estimate and workspace, per bin (the bin after the last in use stands for everything later). */
  private readonly shape: Float64Array;
  private readonly given: Float64Array;
  private readonly sums: Float64Array;
  /** Tasks known only to outlast an age, per bin their end may lie in from the grid edge at or below it (many, and alike: one pass takes them all), and their E-step's workspace. */
  private readonly outlasting: Float64Array;
  private readonly survival: Float64Array;
  private readonly factors: Float64Array;
  /**
   * Per kept task, located on the grid when it is added: the bins its interval spans (the last
   * -1 when it only outlasted `from`: then the first is the bin after the grid edge at or below
   * `from`), and the shares of its first and last bin inside it (those between are whole).
   */
  private readonly firstBin = new Int32Array(CAPACITY);
  private readonly lastBin = new Int32Array(CAPACITY);
  private readonly firstShare = new Float64Array(CAPACITY);
  private readonly lastShare = new Float64Array(CAPACITY);

  constructor(private readonly grid: DurationGrid) {
    this.shape = new Float64Array(grid.edges.length + 1);
    this.given = new Float64Array(grid.edges.length + 1);
    this.sums = new Float64Array(grid.edges.length + 1);
    this.outlasting = new Float64Array(grid.edges.length + 1);
    this.survival = new Float64Array(grid.edges.length + 2);
    this.factors = new Float64Array(grid.edges.length + 1);
  }

  /** Keeps an explored task known to have ended within `(runningAtMs, finishedByMs]` (`finishedByMs` `Infinity`: later than `runningAtMs`); the oldest kept one goes. */
  add(runningAtMs: number, finishedByMs: number): void {
    this.from[this.next] = runningAtMs;
    this.to[this.next] = finishedByMs;
    this.locate(this.next);
    this.next = (this.next + 1) % CAPACITY;
    this.size = Math.min(CAPACITY, this.size + 1);
  }

  /** The tasks kept as the last reshape saw them, oldest first, `[runningAtMs, finishedByMs or null]` (for a snapshot, which holds the state as at the last plan). */
  keptAtReshape(): [number, number | null][] {
    const { atReshape } = this;
    return Array.from({ length: atReshape.size }, (_, i) => {
      const at = (atReshape.next - atReshape.size + i + CAPACITY) % CAPACITY;
      return [atReshape.from[at]!, Number.isFinite(atReshape.to[at]) ? atReshape.to[at]! : null];
    });
  }

  /** Forgets every task kept (the workload changed). */
  clear(): void {
    this.size = 0;
    this.next = 0;
  }

  /**
   * Rewrites the bins of `probabilities` inside the gap `(0, gapEndMs]` in the shape the kept
   * tasks show, keeping the mass the gap holds. The EM starts from the shape `probabilities` has,
   * which also counts as `GIVEN_WEIGHT` tasks: with no task kept nothing changes, with few little.
   */
  reshape(probabilities: Float64Array, gapEndMs: number): void {
    const { edges } = this.grid;
    const gapBins = edgeAtOrBelow(this.grid, gapEndMs);
    this.atReshape.from.set(this.from);
    this.atReshape.to.set(this.to);
    this.atReshape.size = this.size;
    this.atReshape.next = this.next;
    if (this.size === 0 || gapBins < 2) return;
    const bins = Math.min(edges.length - 2, Math.max(gapBins, this.lastBinReached(REACH * gapEndMs)));
    const later = bins + 1;
    const { shape, given, sums } = this;
    let rest = 1;
    for (let k = 1; k <= bins; k++) rest -= shape[k] = given[k] = probabilities[k]!;
    shape[later] = given[later] = Math.max(1e-12, rest);
    const { outlasting } = this;
    outlasting.fill(0, 1, later + 1);
    for (let i = 0; i < this.size; i++) if (this.lastBin[i]! < 0) outlasting[Math.min(later, this.firstBin[i]!)]! += 1;
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      sums.fill(0, 1, later + 1);
      for (let i = 0; i < this.size; i++) if (this.lastBin[i]! >= 0) this.addPosterior(i, bins);
      this.addOutlasting(later);
      for (let k = 1; k <= later; k++) shape[k] = (sums[k]! + GIVEN_WEIGHT * given[k]!) / (this.size + GIVEN_WEIGHT);
    }
    let mass = 0;
    let learned = 0;
    for (let k = 1; k <= gapBins; k++) (mass += probabilities[k]!), (learned += shape[k]!);
    if (!(learned > 0)) return;
    for (let k = 1; k <= gapBins; k++) probabilities[k] = (mass * shape[k]!) / learned;
  }

  /** The bin holding the farthest finite end of a kept interval, up to `capMs`. */
  private lastBinReached(capMs: number): number {
    let top = 0;
    for (let i = 0; i < this.size; i++) top = Math.max(top, Number.isFinite(this.to[i]) ? this.to[i]! : this.from[i]!);
    return edgeAtOrAbove(this.grid, Math.min(top, capMs));
  }

  /** Locates kept task `i` on the grid (see `firstBin`). */
  private locate(i: number): void {
    const { edges } = this.grid;
    const from = this.from[i]!;
    const to = this.to[i]!;
    const first = Math.min(edges.length - 1, binAfter(this.grid, from));
    this.firstBin[i] = first;
    if (!Number.isFinite(to)) {
      this.lastBin[i] = -1;
      return;
    }
    const last = Math.min(edges.length - 1, Math.max(first, edgeAtOrAbove(this.grid, to)));
    this.lastBin[i] = last;
    this.firstShare[i] = binOverlap(edges[first - 1]!, edges[first]!, from, to);
    this.lastShare[i] = binOverlap(edges[last - 1]!, edges[last]!, from, to);
  }

  /** The E-step for kept task `i`, which ended within its interval: its posterior over bins `1..bins` and the bin after them (all later ages), added to `sums`. */
  private addPosterior(i: number, bins: number): void {
    const { shape, sums } = this;
    const later = bins + 1;
    const first = Math.min(later, this.firstBin[i]!);
    const last = Math.min(later, this.lastBin[i]!);
    const firstShare = first === later ? 1 : this.firstShare[i]!;
    const lastShare = last === later ? 1 : this.lastShare[i]!;
    if (first === last) {
      if (firstShare * shape[first]! > 0) sums[first] = sums[first]! + 1;
      return;
    }
    let weight = firstShare * shape[first]! + lastShare * shape[last]!;
    for (let k = first + 1; k < last; k++) weight += shape[k]!;
    if (!(weight > 0)) return;
    sums[first] = sums[first]! + (firstShare * shape[first]!) / weight;
    for (let k = first + 1; k < last; k++) sums[k] = sums[k]! + shape[k]! / weight;
    sums[last] = sums[last]! + (lastShare * shape[last]!) / weight;
  }

  /** The E-step for every outlasting task at once (the shape from its bin on, renormalised); O(bins). */
  private addOutlasting(later: number): void {
    const { shape, sums, factors } = this;
    survivorFactors(shape, this.outlasting, later, this.survival, factors);
    for (let k = 1; k <= later; k++) sums[k] = sums[k]! + shape[k]! * factors[k]!;
  }
}
