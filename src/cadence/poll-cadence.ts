/**
 * What one task's status stream learned about its duration when it ended: it was still running at
 * age `runningAtMs` (its last non-terminal read, or 0) and, if it reached a terminal status, had
 * finished by age `finishedByMs` (that read). Without `finishedByMs` the duration is only known
 * to exceed `runningAtMs` (right-censored: unsubscribed, deadline, error).
 *
 * @example
 * ```ts
 * import { adaptiveCadence, type CadenceObservation } from 'camb-rx';
 * const finished: CadenceObservation = { runningAtMs: 56_000, finishedByMs: 61_000 };
 * adaptiveCadence().observe(finished);
 * ```
 */
export interface CadenceObservation {
  /** Age, in ms since the task was created, of the last read that saw it still running. */
  runningAtMs: number;
  /** Age of the read that saw it done; left out when the stream ended before that. */
  finishedByMs?: number;
}

/**
 * A poll schedule by task age, accepted as `interval` by every status stream: after each
 * non-terminal read the stream asks for the next delay, and when it ends it reports what it saw.
 * {@link adaptiveCadence} returns one that learns; the streams' default is a fixed one.
 *
 * @example
 * ```ts
 * import { transcriptionStatus$, type PollCadence } from 'camb-rx';
 * const everyFiveSeconds: PollCadence = { nextDelayMs: () => 5000, observe: () => {} };
 * transcriptionStatus$(taskId, { apiKey, interval: everyFiveSeconds }).subscribe(console.log);
 * ```
 */
export interface PollCadence {
  /**
   * The delay before the next read of a task whose latest read, at age `ageMs`, was not terminal.
   * @param ageMs - ms since the task was created (`taskCreatedAt`, else subscription)
   * @returns a delay in ms
   */
  nextDelayMs(ageMs: number): number;
  /**
   * Reports one task's outcome, once, when its stream ends.
   * @param observation - what the stream saw
   */
  observe(observation: CadenceObservation): void;
  /**
   * Optional: follows one task while it runs, so the cadence can learn from it before it ends.
   * A stream that finds it calls it once when it starts, reports every non-terminal read to the
   * handle (and asks the handle for the next delay when it has `nextDelayMs`), and when the stream
   * ends, however it ends, ends the handle and then calls `observe`.
   * @returns the task's {@link CadenceTrack}
   */
  track?(): CadenceTrack;
}

/**
 * One running task as a {@link PollCadence} follows it: each non-terminal read, and, once, the
 * end of its stream. Until it ends the task counts as still running at its latest pending age
 * (provisionally right-censored); its observation, which `observe` receives next, then replaces that.
 *
 * @example
 * ```ts
 * import { adaptiveCadence } from 'camb-rx';
 * const cadence = adaptiveCadence();
 * const task = cadence.track();
 * task.pending(30_000);
 * task.end();
 * cadence.observe({ runningAtMs: 30_000, finishedByMs: 35_000 });
 * ```
 */
export interface CadenceTrack {
  /**
   * The task was still running at a read at age `ageMs`.
   * @param ageMs - ms since the task was created
   */
  pending(ageMs: number): void;
  /** The task's stream ended (its observation follows through `observe`). Later calls do nothing. */
  end(): void;
  /**
   * Optional: this task's delay before its next read, asked instead of the cadence's own
   * `nextDelayMs` (a cadence may read a few tasks off its plan, to learn what its plan cannot see;
   * `adaptiveCadence()` explores the first gap between reads so).
   * @param ageMs - ms since the task was created, at its latest non-terminal read
   * @returns a delay in ms
   */
  nextDelayMs?(ageMs: number): number;
}

/**
 * Whether a value is a {@link PollCadence} (an object with `nextDelayMs` and `observe` methods).
 *
 * @internal
 */
export function isPollCadence(value: unknown): value is PollCadence {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as PollCadence).nextDelayMs === 'function' &&
    typeof (value as PollCadence).observe === 'function'
  );
}
