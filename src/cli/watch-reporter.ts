import type { TaskStatus } from '../index.js';
import type { OutputStream } from './cli-io.js';
import { jsonReporter } from './json-reporter.js';
import { LiveDisplay } from './live-display.js';
import { plainReporter } from './plain-reporter.js';
import type { TaskBoard } from './task-board.js';

/** What the watch tells its output about; the {@link TaskBoard} holds the state. */
export interface WatchReporter {
  /** A task's status changed (the board already has it). */
  changed(status: TaskStatus): void;
  /** A task could not be followed (the board already has it). */
  failed(taskId: string, error: unknown): void;
  /** The watch ended, or was interrupted: the last output. */
  close(interrupted: boolean): void;
}

/**
 * Picks the output of `camb-rx watch`: NDJSON with `--json`, the live display on a terminal,
 * plain lines otherwise.
 *
 * @param out - stdout
 * @param board - the tasks
 * @param options - `json`, and `color` for the live display
 * @returns the reporter, already started
 */
export function createWatchReporter(out: OutputStream, board: TaskBoard, { json, color }: { json: boolean; color: boolean }): WatchReporter {
  if (json) return jsonReporter(out, board);
  if (!out.isTTY) return plainReporter(out, board);
  const display = new LiveDisplay(out, board, { color });
  display.start();
  return { changed: () => undefined, failed: () => undefined, close: (interrupted) => display.stop(interrupted ? '(interrupted)' : '') };
}
