import type { TaskStatus } from '../index.js';

/** What the watch tells its output about; the task board holds the state. */
export interface WatchReporter {
  /** A task's status changed (the board already has it). */
  changed(status: TaskStatus): void;
  /** A read of a task's status is being retried (the board already has the note). */
  retrying(taskId: string, note: string): void;
  /** A task could not be followed (the board already has it). */
  failed(taskId: string, error: unknown): void;
  /** The watch ended, or was interrupted: the last output. */
  close(interrupted: boolean): void;
}
