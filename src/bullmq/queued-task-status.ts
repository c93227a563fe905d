import type { TaskStatus } from '../wire/task-status.js';
import type { TranscriptSegment } from '../wire/transcription-result.js';

/**
 * Who ended a task: CAMB with a terminal status, or camb-rx (its `timeoutMs`, or an answer that
 * no retry can change, such as a 404 or 401).
 *
 * @example
 * ```ts
 * import { DecidedBy, type QueuedTaskStatus } from 'camb-rx/bullmq';
 * const fromCamb = (s: QueuedTaskStatus) => s.decidedBy === DecidedBy.camb;
 * ```
 */
export const DecidedBy = {
  /** CAMB answered a terminal status. */
  camb: 'camb',
  /** camb-rx gave up: `TIMEOUT` at `timeoutMs`, or `ERROR` after a permanent failure. */
  cambRx: 'camb-rx',
} as const;

/**
 * One of {@link DecidedBy}.
 *
 * @example
 * ```ts
 * import type { Decider } from 'camb-rx/bullmq';
 * const decider: Decider = 'camb';
 * ```
 */
export type Decider = (typeof DecidedBy)[keyof typeof DecidedBy];

/**
 * The terminal status of a watched task, as the results queue delivers it.
 *
 * When camb-rx ends the task, `status` is `TIMEOUT` (its `timeoutMs`, the queue's counterpart of
 * `CambTimeoutError`) or `ERROR`, with the error code in `exceptionReason` and the reason in
 * `message`.
 *
 * @example
 * ```ts
 * import { createCambQueue, type QueuedTaskStatus } from 'camb-rx/bullmq';
 * const onResult = async (s: QueuedTaskStatus) => console.log(s.taskId, s.status, s.decidedBy);
 * createCambQueue({ apiKey, connection, budget }).results$(onResult).subscribe();
 * ```
 */
export interface QueuedTaskStatus extends TaskStatus {
  /** Who ended the task. */
  readonly decidedBy: Decider;
  /** The transcript of a successful transcription, when the queue was created with `transcripts: true`. */
  readonly transcript?: readonly TranscriptSegment[];
}
