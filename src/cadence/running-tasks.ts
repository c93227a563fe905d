import { binAfter, type DurationGrid } from './duration-grid.js';
import { survivorFactors } from './survivor-factors.js';
import type { CadenceTrack } from './poll-cadence.js';
import type { OutlivedEvidence } from './outlived-evidence.js';

/**
 * The tasks still running, as right-censored observations that are only provisional: how many
 * were last seen running in each bin of the grid. A task counts once, at its latest non-terminal
 * read (moved there from its previous one), and leaves when it ends, when its final observation
 * is learned instead: so no task is counted twice. Moving a task costs O(log bins); folding them
 * all into an estimate O(bins).
 *
 * @internal
 */
export class RunningTasks {
  /** Tasks by the first bin their duration may lie in (the bin after their latest running age). */
  private readonly counts: Float64Array;
  private running = 0;
  /** `foldInto`'s survival function, kept between calls (`survival[bins]` is always 0). */
  private readonly survival: Float64Array;
  /** `foldInto`'s result, kept between calls. */
  private readonly folded: Float64Array;

  constructor(
    private readonly grid: DurationGrid,
    private readonly evidence?: OutlivedEvidence,
  ) {
    this.counts = new Float64Array(grid.edges.length + 1);
    this.survival = new Float64Array(grid.edges.length + 2);
    this.folded = new Float64Array(grid.edges.length + 1);
  }

  /** How many tasks are counted. */
  get size(): number {
    return this.running;
  }

  /**
   * Moves a task from the bin it was counted in (`-1`: not counted yet) to the one its latest
   * running age allows. The evidence that tasks outlive the estimate counts the ages it lived
   * through since its previous read, or from age 0, but nothing at its `firstRead`: a task first
   * read at a later age (picked up after a restart) was running then by being picked, which is no
   * evidence.
   *
   * @returns the bin it is now counted in
   */
  move(fromBin: number, ageMs: number, firstRead = false): number {
    const toBin = binAfter(this.grid, ageMs);
    this.remove(fromBin);
    this.counts[toBin] = this.counts[toBin]! + 1;
    this.running++;
    if (!firstRead) this.evidence?.outlived(fromBin, toBin);
    return toBin;
  }

  /** A handle that counts one task here from its first pending read until it ends (a cadence's `track()`). */
  track(): CadenceTrack {
    return new TrackedTask(this);
  }

  /** Stops counting a task (`-1`: it was not counted). */
  remove(bin: number): void {
    if (bin < 0) return;
    this.counts[bin] = this.counts[bin]! - 1;
    this.running--;
  }

  /**
   * One EM step from `probabilities`, standing for `weight` tasks, with every running task as one
   * more: each running task's posterior is the estimate beyond its age, renormalised (where the
   * estimate leaves nothing beyond it, the bin just past its age). Returns the
   * mix `(weight·p + Σ posteriors) / (weight + running)` (in an array of its own, which the next
   * call overwrites), or `probabilities` itself when no task runs. O(bins).
   */
  foldInto(probabilities: Float64Array, weight: number): Float64Array {
    if (this.running === 0) return probabilities;
    const bins = probabilities.length;
    const { survival, counts } = this;
    const out = this.folded;
    survivorFactors(probabilities, counts, bins - 1, survival, out);
    const total = weight + this.running;
    for (let k = 0; k < bins; k++) {
      // Tasks that find no mass past their age are put in the bin just past it.
      out[k] = (probabilities[k]! * (weight + out[k]!) + (counts[k]! > 0 && !(survival[k]! > 0) ? counts[k]! : 0)) / total;
    }
    return out;
  }
}

/**
 * One task counted in {@link RunningTasks}: the bin it is counted in (-1 before its first pending
 * read and after it ends). A small object rather than two closures, as every watched task holds one.
 */
class TrackedTask implements CadenceTrack {
  private bin = -1;
  private read = false;
  private ended = false;

  constructor(private readonly tasks: RunningTasks) {}

  pending(ageMs: number): void {
    if (this.ended) return;
    const firstRead = !this.read;
    this.read = true;
    if (ageMs > 0) this.bin = this.tasks.move(this.bin, ageMs, firstRead);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.tasks.remove(this.bin);
    this.bin = -1;
  }
}
