import type { OutputStream } from './cli-io.js';
import { errorJson } from './describe-outcome.js';
import type { TaskBoard } from './task-board.js';
import type { WatchReporter } from './watch-reporter.js';

/**
 * The watch's output with `--json`: NDJSON, one object per line — `{"type":"status", ...TaskStatus}`
 * per status change, `{"type":"error","taskId","error"}` per task that cannot be followed, and a
 * last `{"type":"summary","total","succeeded","failed","pending","interrupted"}`.
 *
 * @param out - stdout
 * @param board - the tasks, for the summary
 * @returns the reporter
 */
export function jsonReporter(out: OutputStream, board: TaskBoard): WatchReporter {
  const line = (event: object) => out.write(`${JSON.stringify(event)}\n`);
  return {
    changed: (status) => line({ type: 'status', ...status }),
    retrying: () => undefined,
    failed: (taskId, error) => line({ type: 'error', taskId, error: errorJson(error) }),
    close: (interrupted) => line({ type: 'summary', ...board.counts(), interrupted }),
  };
}
