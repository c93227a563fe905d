import { performance } from 'node:perf_hooks';
import { TaskStatusValues, type TaskStatus } from '../index.js';
import { errorLabel, errorMessage, failureDetail } from './describe-outcome.js';

/** Where a watched task stands. */
export type TaskOutcome = 'pending' | 'succeeded' | 'failed';

/** One watched task, as the displays show it. */
export interface TaskRow {
  readonly taskId: string;
  /** CAMB's status, `waiting` before the first read, or a label for why it cannot be followed. */
  readonly status: string;
  readonly polls: number;
  readonly outcome: TaskOutcome;
  /** Why it failed, when it did. */
  readonly detail: string;
  /** When the watch of this task began, and ended, on the board's clock (ms). */
  readonly startedAt: number;
  readonly endedAt?: number;
}

/** How many tasks stand where. */
export interface TaskCounts {
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly pending: number;
}

/**
 * The state of every watched task, fed by the watch and read by the displays and the exit code.
 * Every status read counts (polls), not only the changes.
 */
export class TaskBoard {
  private readonly byId = new Map<string, TaskRow>();
  readonly now: () => number;
  /** When the board was made, on its clock. */
  readonly startedAt: number;

  /**
   * @param now - the clock, in ms
   */
  constructor(now: () => number = () => performance.now()) {
    this.now = now;
    this.startedAt = now();
  }

  /** Starts showing a task id that came in. */
  add(taskId: string): void {
    if (!this.byId.has(taskId)) this.byId.set(taskId, { taskId, status: 'waiting', polls: 0, outcome: 'pending', detail: '', startedAt: this.now() });
  }

  /** Records a status read. */
  record(status: TaskStatus): void {
    const outcome: TaskOutcome = !status.done ? 'pending' : status.status === TaskStatusValues.SUCCESS ? 'succeeded' : 'failed';
    this.update(status.taskId, { status: status.status, polls: status.poll, outcome, detail: failureDetail(status) }, status.done);
  }

  /**
   * Shows why a task's status is late: a read being retried. The note stays until the next status.
   *
   * @param taskId - the task, if it is on the board (else nothing happens)
   * @param note - e.g. `retrying (503), 2nd attempt in 1.2 s`
   * @returns whether the task is on the board, still pending
   */
  retrying(taskId: string, note: string): boolean {
    const row = this.byId.get(taskId);
    if (row?.outcome !== 'pending') return false;
    this.byId.set(taskId, { ...row, detail: note });
    return true;
  }

  /** Records that a task could not be followed. */
  fail(taskId: string, error: unknown): void {
    this.update(taskId, { status: errorLabel(error), outcome: 'failed', detail: errorMessage(error) }, true);
  }

  /** Every task, in the order they came in. */
  rows(): readonly TaskRow[] {
    return [...this.byId.values()];
  }

  /** How long a task has been (or was) watched, in ms. */
  elapsedMs(row: TaskRow): number {
    return (row.endedAt ?? this.now()) - row.startedAt;
  }

  /** How many tasks succeeded, failed (or cannot be followed), or are still pending. */
  counts(): TaskCounts {
    const counts = { total: this.byId.size, succeeded: 0, failed: 0, pending: 0 };
    for (const { outcome } of this.byId.values()) counts[outcome] += 1;
    return counts;
  }

  private update(taskId: string, change: Pick<TaskRow, 'status' | 'outcome' | 'detail'> & { polls?: number }, ended: boolean): void {
    this.add(taskId);
    const row = this.byId.get(taskId) as TaskRow;
    this.byId.set(taskId, { ...row, ...change, ...(ended && { endedAt: this.now() }) });
  }
}

/**
 * The summary line: `7 done / 3 failed / 2 pending`.
 *
 * @param counts - the board's counts
 * @returns the line, without a newline
 */
export function summaryLine({ succeeded, failed, pending }: TaskCounts): string {
  return `${succeeded} done / ${failed} failed / ${pending} pending`;
}
