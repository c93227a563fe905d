import type { CadenceObservation, PollCadence } from '../cadence/poll-cadence.js';
import type { PollContext } from '../status/status-options.js';
import type { TaskKind } from '../wire/task-kind.js';
import type { SharedCadences } from './shared-cadences.js';

/**
 * What the poll processor asks of the queue's cadence: the next read's delay, and where a watch's
 * outcome goes when it ends (the shared log, the `interval` cadence of this process, or nowhere).
 */
export interface QueueCadence {
  /** The delay before the next read of a task of `kind`, from its age and reads so far. */
  nextDelayMs(kind: TaskKind, context: PollContext): number;
  /** Reports one watch's outcome (`jobId` names the task, so that a repeated report counts once). */
  observe(kind: TaskKind, jobId: string, observation: CadenceObservation): Promise<void>;
}

/** The default: one adaptive cadence per kind, learned from every worker's watches through Redis. */
export function sharedQueueCadence(shared: SharedCadences): QueueCadence {
  return {
    nextDelayMs: (kind, { elapsedMs }) => shared.nextDelayMs(kind, elapsedMs),
    observe: (kind, jobId, observation) => shared.observe(kind, jobId, observation),
  };
}

/**
 * An `interval` of the options: its delays for every kind; a cadence (`adaptiveCadence()`) also
 * hears the outcome of every watch this process ends, as the streams report to it.
 */
export function intervalQueueCadence(nextDelay: (context: PollContext) => number, cadence: PollCadence | undefined): QueueCadence {
  return {
    nextDelayMs: (_kind, context) => nextDelay(context),
    observe: async (_kind, _jobId, observation) => cadence?.observe(observation),
  };
}
