import type { OutputStream } from './cli-io.js';
import { jsonReporter } from './json-reporter.js';
import { LiveDisplay } from './live-display.js';
import { plainReporter } from './plain-reporter.js';
import type { TaskBoard } from './task-board.js';
import type { WatchReporter } from './watch-reporter.js';

/**
 * Picks the output of `camb-rx watch`: NDJSON with `--json`, the live display on a terminal (which
 * reads everything, retry notes included, from the board), plain lines otherwise.
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
  return { changed: () => undefined, retrying: () => undefined, failed: () => undefined, close: (interrupted) => display.stop(interrupted ? '(interrupted)' : '') };
}
