import { tap } from 'rxjs';
import { distinctStatus, mergeTasks } from '../index.js';
import type { CliIo } from './cli-io.js';
import { errorMessage, isUnauthorized } from './describe-outcome.js';
import { describeRetry, requestTaskId } from './describe-retry.js';
import { ExitCodes, type ExitCode } from './exit-codes.js';
import type { WatchArgs } from './parse-command-line.js';
import { runUntilDone } from './run-until-done.js';
import { TaskBoard } from './task-board.js';
import { taskIds$ } from './task-ids.js';
import { UsageError, withUsageErrors } from './usage-error.js';
import { createWatchReporter } from './create-watch-reporter.js';

/**
 * `camb-rx watch`: follows every task id (from the command line, then stdin) with `mergeTasks`
 * under one request budget, and reports each change of status (`distinctStatus`) while the board
 * counts every poll; a read being retried is shown as a note on its task. A task that cannot be
 * followed is reported and counted as failed; the others go on. A refused API key (401) stops the
 * whole watch with one line, as it would refuse every task.
 *
 * @param args - the parsed command line
 * @param io - the process's streams and environment
 * @param signal - aborted on SIGINT
 * @returns 0 when every task succeeded, 1 when any failed or could not be followed, 130 when interrupted
 * @throws UsageError for a bad option, before anything is sent
 */
export async function watchCommand(args: WatchArgs, io: CliIo, signal: AbortSignal): Promise<ExitCode> {
  const board = new TaskBoard();
  const refused = new AbortController();
  const follow = withUsageErrors(() =>
    mergeTasks({
      ...args.connection,
      ...args.budget,
      kind: args.kind,
      signal: refused.signal,
      retry: {
        onRetry: (event) => {
          const taskId = requestTaskId(event.error);
          const note = describeRetry(event);
          if (taskId !== undefined && board.retrying(taskId, note)) reporter.retrying(taskId, note);
        },
      },
      onTaskError: ({ taskId, error }) => {
        if (isUnauthorized(error)) return refused.abort(error);
        board.fail(taskId, error);
        reporter.failed(taskId, error);
      },
    }),
  );
  const statuses$ = taskIds$(args.ids, args.readStdin ? io.stdin : undefined).pipe(
    tap((taskId) => board.add(taskId)),
    follow,
    tap((status) => board.record(status)),
    distinctStatus(),
  );
  const reporter = createWatchReporter(io.stdout, board, { json: args.json, color: !io.env['NO_COLOR'] });

  const code = await runUntilDone(statuses$, signal, {
    next: (status) => reporter.changed(status),
    complete: () => {
      reporter.close(false);
      return board.counts().succeeded === board.counts().total ? ExitCodes.ok : ExitCodes.failed;
    },
    error: (error) => {
      reporter.close(false);
      io.stderr.write(`camb-rx: ${errorMessage(error)}\n`);
      return ExitCodes.failed;
    },
    interrupted: () => reporter.close(true),
  });
  if (code !== ExitCodes.interrupted && board.counts().total === 0) throw new UsageError('no task ids were given, as arguments or on stdin');
  return code;
}
