import type { StatusBody } from './status-body.js';
import type { TaskKind } from './task-kind.js';

/**
 * The status values CAMB documents. The set is open: any other string is kept as it came and is
 * not terminal unless your `isTerminal` says so.
 *
 * @example
 * ```ts
 * import { TaskStatusValues } from 'camb-rx';
 * import { filter } from 'rxjs';
 * status$.pipe(filter((s) => s.status === TaskStatusValues.SUCCESS));
 * ```
 */
export const TaskStatusValues = {
  /** Queued or running; not terminal. */
  PENDING: 'PENDING',
  /** Finished; the status carries the `runId` to fetch the result with. Terminal. */
  SUCCESS: 'SUCCESS',
  /** Failed; `exceptionReason` and `message` tell why. Terminal. */
  ERROR: 'ERROR',
  /** Timed out at CAMB (not camb-rx's `timeoutMs`, which is a `CambTimeoutError`). Terminal. */
  TIMEOUT: 'TIMEOUT',
  /** Not run: the account lacks credit for it. Terminal. */
  PAYMENT_REQUIRED: 'PAYMENT_REQUIRED',
} as const;

/**
 * A documented status value, or any other string CAMB may add.
 *
 * @example
 * ```ts
 * import { isTerminalStatus, transcriptionStatus$, type TaskStatusValue } from 'camb-rx';
 * const isTerminal = (s: TaskStatusValue) => isTerminalStatus(s) || s === 'CANCELLED';
 * transcriptionStatus$(taskId, { apiKey, isTerminal }).subscribe(console.log);
 * ```
 */
export type TaskStatusValue = (typeof TaskStatusValues)[keyof typeof TaskStatusValues] | (string & {});

/** The terminal failure statuses that `throwOnFailure()` turns into errors. */
export const failureStatuses: ReadonlySet<string> = new Set([TaskStatusValues.ERROR, TaskStatusValues.TIMEOUT, TaskStatusValues.PAYMENT_REQUIRED]);

/**
 * The default `isTerminal`: SUCCESS, ERROR, TIMEOUT and PAYMENT_REQUIRED end a task.
 *
 * @param status - a status value
 * @returns true when the task will not change any more
 * @example
 * ```ts
 * import { isTerminalStatus } from 'camb-rx';
 * const isTerminal = (s: string) => isTerminalStatus(s) || s === 'CANCELLED';
 * ```
 */
export function isTerminalStatus(status: TaskStatusValue): boolean {
  return status === TaskStatusValues.SUCCESS || failureStatuses.has(status);
}

/**
 * One status read of one task, as every status stream emits it.
 *
 * @example
 * ```ts
 * import { transcriptionStatus$ } from 'camb-rx';
 * transcriptionStatus$(id, { apiKey }).subscribe((s) => console.log(s.poll, s.status, s.elapsedMs));
 * ```
 */
export interface TaskStatus {
  /** The task's id. */
  readonly taskId: string;
  /** The task's kind, e.g. `'transcribe'`. */
  readonly kind: TaskKind;
  /** The status as CAMB sent it. */
  readonly status: TaskStatusValue;
  /** True on a terminal status: the last value of its stream. */
  readonly done: boolean;
  /** Present on SUCCESS: the id to fetch the result with. */
  readonly runId?: number;
  /** Why a task failed, e.g. `SOURCE_TOO_LONG`. */
  readonly exceptionReason?: string;
  /** CAMB's message, text or an object. */
  readonly message?: string | Record<string, unknown>;
  /** 1-based count of status reads for this subscription. */
  readonly poll: number;
  /** Milliseconds since subscription, read from the scheduler. */
  readonly elapsedMs: number;
}

/**
 * Turns a parsed status body into the camelCase {@link TaskStatus}; null fields are left out.
 *
 * @internal
 */
export function toTaskStatus(
  body: StatusBody,
  read: { taskId: string; kind: TaskKind; poll: number; elapsedMs: number; isTerminal: (status: TaskStatusValue) => boolean },
): TaskStatus {
  const status: { -readonly [K in keyof TaskStatus]: TaskStatus[K] } = {
    taskId: read.taskId,
    kind: read.kind,
    status: body.status,
    done: read.isTerminal(body.status),
    poll: read.poll,
    elapsedMs: read.elapsedMs,
  };
  if (body.run_id != null) status.runId = body.run_id;
  if (body.exception_reason != null) status.exceptionReason = body.exception_reason;
  if (body.message != null) status.message = body.message;
  return status;
}
