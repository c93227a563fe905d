import type { CadenceTrack } from './poll-cadence.js';

/** What an {@link ExploringTask} needs of its cadence. @internal */
export interface ExploringCadence {
  /** The plan's delay after a non-terminal read at `ageMs`. */
  nextDelayMs(ageMs: number): number;
  readonly minIntervalMs: number;
  /** The task ended (its observation follows): it was still running at `runningAtMs`, and explored in the gap that ended at `gapEndMs`. */
  exploredEnded(runningAtMs: number, gapEndMs: number): void;
}

/**
 * A task its cadence reads once off the plan, to see inside the first gap between reads, where
 * the plan never reads: after a first read at creation (an age below `minIntervalMs`), the next
 * comes at the share `at` of the way through the gap (at least `minIntervalMs` from either end)
 * instead of at its end; every later delay is the plan's from there. When the task ends it tells
 * the cadence the gap it was explored in, just before its observation arrives.
 *
 * @internal
 */
export class ExploringTask implements CadenceTrack {
  private lastRunningAtMs = 0;
  /** Where the gap it was explored in ended (0: not explored, yet or at all). */
  private gapEndMs = 0;
  private asked = false;
  private ended = false;

  constructor(
    private readonly task: CadenceTrack,
    private readonly cadence: ExploringCadence,
    private readonly at: number,
  ) {}

  pending(ageMs: number): void {
    this.lastRunningAtMs = ageMs;
    this.task.pending(ageMs);
  }

  nextDelayMs(ageMs: number): number {
    const delay = this.cadence.nextDelayMs(ageMs);
    if (this.asked) return delay;
    this.asked = true;
    const { minIntervalMs } = this.cadence;
    const room = delay - 2 * minIntervalMs;
    if (!(ageMs < minIntervalMs) || !(room > 0)) return delay;
    this.gapEndMs = ageMs + delay;
    return minIntervalMs + this.at * room;
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.task.end();
    if (this.gapEndMs > 0) this.cadence.exploredEnded(this.lastRunningAtMs, this.gapEndMs);
  }
}
