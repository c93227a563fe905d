import type { CadenceTrack } from '../cadence/poll-cadence.js';
import type { TaskStatus } from '../wire/task-status.js';
import type { TimerEntry } from './timer-heap.js';

/** Where a task stands between two events. */
export const TaskPhases = {
  /** Waiting for its next read (cadence, retry backoff or not-found grace), or about to send one. */
  idle: 0,
  /** Queued for the request budget. */
  queued: 1,
  /** A request is in flight. */
  inFlight: 2,
  /** Reached its outcome, or torn down: nothing more happens to it. */
  ended: 3,
} as const;

/** One of {@link TaskPhases}. */
export type TaskPhase = (typeof TaskPhases)[keyof typeof TaskPhases];

/**
 * Everything the engine keeps about one watched task: a plain record instead of a pipeline, and
 * its own entry in the engine's timer heap. One heap slot is enough: a task waits for at most one
 * thing at a time (the next read, or the request timeout while a request is in flight), so the
 * slot is due at the earlier of that and the task's deadline.
 *
 * @internal
 */
export class TaskRecord implements TimerEntry {
  at = 0;
  seq = 0;
  heapIndex = -1;
  phase: TaskPhase = TaskPhases.idle;
  /** The number of the read going out or last sent (1-based); a retry keeps it. */
  poll = 0;
  /** Consecutive failed attempts of the current read. */
  attempt = 0;
  /** The last status read, for the next delay and a `CambTimeoutError`. */
  latest: TaskStatus | undefined = undefined;
  /** The age at the last non-terminal read, for the cadence's observation. */
  runningAtMs = 0;
  /** The cadence's handle on the task while it runs, when the cadence tracks running tasks. */
  cadenceTrack: CadenceTrack | undefined = undefined;
  /** While queued: leaves the budget's queue. */
  cancelQueued: (() => void) | undefined = undefined;
  /** While in flight: aborts the request. */
  controller: AbortController | undefined = undefined;

  /**
   * @param taskId - the task's id, already checked
   * @param pathSegment - its id as percent-encoded into the status URL (the id itself, the same string, when no character needed encoding: a task keeps no URL of its own)
   * @param startedAt - what ages count from (`taskCreatedAt`, else when watching began), in the engine's time (the scheduler's, from the engine's start)
   * @param deadlineAt - when it fails with `CambTimeoutError` (`timeoutMs` after watching began), in the engine's time, or `Infinity`
   */
  constructor(
    readonly taskId: string,
    readonly pathSegment: string,
    readonly startedAt: number,
    readonly deadlineAt: number,
  ) {}
}
