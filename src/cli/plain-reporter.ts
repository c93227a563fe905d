import { TaskStatusValues } from '../index.js';
import type { OutputStream } from './cli-io.js';
import { errorMessage, failureDetail } from './describe-outcome.js';
import { formatElapsed } from './format-elapsed.js';
import { summaryLine, type TaskBoard } from './task-board.js';
import type { WatchReporter } from './watch-reporter.js';

/**
 * The watch's output when stdout is not a terminal: one line per status change, one per retried
 * read, one per task that cannot be followed, and the summary line; no control sequences.
 *
 * @param out - stdout
 * @param board - the tasks, for the summary
 * @returns the reporter
 */
export function plainReporter(out: OutputStream, board: TaskBoard): WatchReporter {
  return {
    changed(status) {
      const detail = status.status === TaskStatusValues.SUCCESS && status.runId !== undefined ? `run ${status.runId}` : failureDetail(status);
      out.write(`${status.taskId} ${status.status}${detail ? ` ${detail}` : ''} (poll ${status.poll}, ${formatElapsed(status.elapsedMs)})\n`);
    },
    retrying(taskId, note) {
      out.write(`${taskId} ${note}\n`);
    },
    failed(taskId, error) {
      out.write(`${taskId} could not be followed: ${errorMessage(error)}\n`);
    },
    close(interrupted) {
      out.write(`${summaryLine(board.counts())}${interrupted ? ' (interrupted)' : ''}\n`);
    },
  };
}
