/**
 * The hazard ratio the evidence is tuned to notice: tasks ending at half the rate the estimate
 * says (one-sample log-rank CUSUM: each unit of expected endings adds `1 − ρ`, each ending takes `ln(1/ρ)`).
 */
const HAZARD_RATIO = 0.5;
const PER_EXPECTED_ENDING = 1 - HAZARD_RATIO;
const PER_ENDING = Math.log(1 / HAZARD_RATIO);
/** A task counts as expected to have ended at most this many times (`−ln` of 5%): one task far in a tail is no evidence alone. */
const MOST_EXPECTED_PER_TASK = 3;
/** How much evidence means the running tasks outlive the estimate: at 8 it also rang where the workload had not changed (standard and wide, 2 seeds of 5); at 12 only on the shift (BENCHMARKS §3). */
const OUTLIVED_EVIDENCE = 12;

/**
 * Whether the tasks still running outlive the estimate: while tasks run, the estimate's
 * cumulative hazard they cross counts as endings it expected, and the endings seen count against
 * them, in a CUSUM (the sum restarts at 0 whenever it would go below). When the tasks end at half
 * the rate the estimate expects, it grows, and past a threshold `onOutlived` is called (and the sum
 * restarts). Sees what finished tasks cannot yet: a workload that became longer. O(1) per read.
 *
 * @internal
 */
export class OutlivedEvidence {
  /** Per bin: the cumulative hazard at its start, `−ln P(duration lies in it or later)`, capped. */
  private readonly cumulativeHazard: Float64Array;
  private sum = 0;

  constructor(
    bins: number,
    private readonly onOutlived: () => void,
  ) {
    this.cumulativeHazard = new Float64Array(bins);
  }

  /** Takes the estimate the running tasks are measured against (bin probabilities). O(bins), with a logarithm only up to the cap. */
  fit(probabilities: Float64Array): void {
    let total = 0;
    for (let k = 0; k < probabilities.length; k++) total += probabilities[k]!;
    // Past the bin where the mass left falls to e^−cap of the whole, every bin is at the cap.
    const capped = total * Math.exp(-MOST_EXPECTED_PER_TASK);
    let from = total;
    let k = 0;
    for (; k < probabilities.length && from > capped; k++) {
      this.cumulativeHazard[k] = Math.min(MOST_EXPECTED_PER_TASK, -Math.log(Math.min(1, from / total)));
      from -= probabilities[k]!;
    }
    this.cumulativeHazard.fill(MOST_EXPECTED_PER_TASK, k);
  }

  /** A task was read running: it moved from bin `fromBin` (-1: its first read) to `toBin`. */
  outlived(fromBin: number, toBin: number): void {
    const hazard = this.cumulativeHazard;
    this.sum += PER_EXPECTED_ENDING * (hazard[toBin]! - (fromBin < 0 ? 0 : hazard[fromBin]!));
    if (this.sum <= OUTLIVED_EVIDENCE) return;
    this.sum = 0;
    this.onOutlived();
  }

  /** A task was seen to end. */
  ended(): void {
    this.sum = Math.max(0, this.sum - PER_ENDING);
  }

  /** Starts again from no evidence. */
  clear(): void {
    this.sum = 0;
  }
}
