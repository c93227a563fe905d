import type { TaskKind } from '../wire/task-kind.js';
import type { Fault } from './fault.js';
import type { ResultShape, SimulatedSegment } from './transcript.js';

/**
 * The outcome of a simulated task that succeeds: status `SUCCESS` with a run id.
 *
 * @example
 * ```ts
 * import type { SuccessOutcome } from 'camb-rx/testing';
 * const done: SuccessOutcome = { status: 'SUCCESS', runId: 42 };
 * ```
 */
export interface SuccessOutcome {
  /** Always `'SUCCESS'`. */
  readonly status: 'SUCCESS';
  /**
   * The run id answered with `SUCCESS` and used by the result endpoints; a positive integer,
   * unique within the simulator.
   * @default the next free id from 100001 up
   */
  readonly runId?: number | undefined;
}

/**
 * The outcome of a simulated task that does not succeed: `ERROR`, `TIMEOUT`, `PAYMENT_REQUIRED`
 * or any other status, which then repeats forever (`{ status: 'PENDING' }` never finishes).
 *
 * @example
 * ```ts
 * import type { FailureOutcome } from 'camb-rx/testing';
 * const tooLong: FailureOutcome = { status: 'ERROR', exceptionReason: 'SOURCE_TOO_LONG', message: 'Audio over 2 h' };
 * ```
 */
export interface FailureOutcome {
  /** The final status, e.g. `'ERROR'`: answered from then on, forever. */
  readonly status: 'ERROR' | 'TIMEOUT' | 'PAYMENT_REQUIRED' | (string & {});
  /**
   * Sent as `exception_reason`, e.g. `SOURCE_TOO_LONG`.
   * @default null
   */
  readonly exceptionReason?: string | undefined;
  /**
   * Sent as `message`.
   * @default null
   */
  readonly message?: string | object | undefined;
}

/**
 * Where a simulated task's lifecycle ends: a {@link SuccessOutcome} or a {@link FailureOutcome}.
 *
 * @example
 * ```ts
 * import type { TaskOutcome } from 'camb-rx/testing';
 * const outcome: TaskOutcome = { status: 'PAYMENT_REQUIRED', exceptionReason: 'PAYMENT_REQUIRED' };
 * ```
 */
export type TaskOutcome = SuccessOutcome | FailureOutcome;

/**
 * Faults for one task's status requests, by the task's 1-based request number (counting every
 * status request with a valid key, faulted or not): either an object such as
 * `{ 1: fault, 3: fault }` (arrays are refused, to avoid an off-by-one) or a function of the
 * request number returning a fault or `undefined`.
 *
 * @example
 * ```ts
 * import type { TaskFaults } from 'camb-rx/testing';
 * const firstAndThird: TaskFaults = { 1: { type: 'http', status: 503 }, 3: { type: 'reset-before-headers' } };
 * const everyOther: TaskFaults = (n) => (n % 2 === 0 ? { type: 'http', status: 502 } : undefined);
 * ```
 */
export type TaskFaults =
  | Readonly<Record<number, Fault>>
  | ((requestNumber: number) => Fault | undefined);

/**
 * A task the simulator knows, with its scripted lifecycle.
 *
 * The lifecycle is at most one of `pendingPolls`, `pendingMs` and `statuses`; without any, the
 * first status read already answers the outcome. Only reads that deliver the normal answer
 * (unfaulted, or through a `delay` or `drip` fault) move the lifecycle on: a faulted read does
 * not, so the next good read answers what the faulted one would have.
 *
 * @example
 * ```ts
 * import { startCambSimulator, type SimulatedTask } from 'camb-rx/testing';
 * const task: SimulatedTask = { id: 'task-1', pendingPolls: 2, outcome: { status: 'SUCCESS', runId: 7 } };
 * const simulator = await startCambSimulator({ tasks: [task] });
 * // GET {simulator.url}/transcribe/task-1: PENDING, PENDING, then SUCCESS with run_id 7
 * ```
 */
export interface SimulatedTask {
  /**
   * The task id, as used in `GET /{kind}/{task_id}`; unique within the simulator.
   * @default a random UUID
   */
  readonly id?: string | undefined;
  /**
   * The kind the task is registered under; a status read under another kind answers 404.
   * @default 'transcribe'
   */
  readonly kind?: TaskKind | undefined;
  /**
   * Answer `PENDING` to this many status reads, then the outcome.
   * @default 0
   */
  readonly pendingPolls?: number | undefined;
  /**
   * Answer `PENDING` until this many ms (real clock) have passed since the task was added.
   * @default not used
   */
  readonly pendingMs?: number | undefined;
  /**
   * The i-th status read answers `statuses[i]` and the last one repeats; any string is allowed,
   * e.g. `['PENDING', 'RUNNING', 'SUCCESS']`. `run_id` is sent with `SUCCESS` (when the outcome
   * is `SUCCESS`), `exception_reason` and `message` with a status equal to the outcome's.
   * @default not used
   */
  readonly statuses?: readonly string[] | undefined;
  /**
   * What the task ends with.
   * @default { status: 'SUCCESS' }
   */
  readonly outcome?: TaskOutcome | undefined;
  /**
   * The transcript served for the task's run id (transcribe tasks that succeed).
   * @default a two-segment transcript
   */
  readonly transcript?: readonly SimulatedSegment[] | undefined;
  /**
   * The shape of the task's transcription result body.
   * @default 'object'
   */
  readonly resultShape?: ResultShape | undefined;
  /**
   * Faults for this task's status requests; they take precedence over injected and random faults.
   * @default none
   */
  readonly faults?: TaskFaults | undefined;
}

/**
 * The lifecycle of tasks created by `POST /transcribe`: a {@link SimulatedTask} without `id`
 * and `kind` (always a new UUID and `transcribe`); `outcome.runId` is refused because each
 * created task gets its own.
 *
 * @example
 * ```ts
 * import { startCambSimulator, type CreatedTaskTemplate } from 'camb-rx/testing';
 * const createdTask: CreatedTaskTemplate = { pendingMs: 500, outcome: { status: 'ERROR', exceptionReason: 'PROCESSING_ERROR' } };
 * const simulator = await startCambSimulator({ createdTask });
 * ```
 */
export type CreatedTaskTemplate = Omit<SimulatedTask, 'id' | 'kind'>;

/**
 * A read-only view of a simulated task's progress.
 *
 * @example
 * ```ts
 * import { startCambSimulator } from 'camb-rx/testing';
 * const simulator = await startCambSimulator();
 * const id = simulator.addTask({ pendingPolls: 1 });
 * simulator.task(id); // { id, kind: 'transcribe', polls: 0, requests: 0, status: null, runId: 100001 }
 * ```
 */
export interface TaskSnapshot {
  /** The task's id. */
  readonly id: string;
  /** The kind the task is registered under. */
  readonly kind: TaskKind;
  /** Status reads that delivered the normal answer and so moved the lifecycle on. */
  readonly polls: number;
  /** Status requests with a valid key, faulted or not (the numbering of `faults`). */
  readonly requests: number;
  /** The status last answered, or null before the first read. */
  readonly status: string | null;
  /** The run id answered with `SUCCESS`, or null when the outcome is not `SUCCESS`. */
  readonly runId: number | null;
}
