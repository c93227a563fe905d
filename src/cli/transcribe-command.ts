import { TaskStatusValues, transcribe$, type RetryEvent, type TaskStatus } from '../index.js';
import { plural } from '../util/plural.js';
import type { CliIo } from './cli-io.js';
import { errorMessage, failureDetail } from './describe-outcome.js';
import { describeRetry } from './describe-retry.js';
import { ExitCodes, type ExitCode } from './exit-codes.js';
import { formatElapsed } from './format-elapsed.js';
import { mediaSource } from './media-source.js';
import type { TranscribeArgs } from './parse-command-line.js';
import { runUntilDone } from './run-until-done.js';
import { TranscribeProgress } from './transcribe-progress.js';
import { formatTranscript, type PrintedTranscript } from './transcript-formats.js';
import { withUsageErrors } from './usage-error.js';

/**
 * `camb-rx transcribe`: uploads a file (or sends a URL) with `transcribe$`, shows the progress on
 * stderr, and prints the transcript on stdout in the chosen format. The created task's id stays
 * on screen; if the command ends before the task does (Ctrl-C, an error), it says how to follow
 * that task, which goes on at CAMB (and may be billed), with `camb-rx watch`.
 *
 * @param args - the parsed command line
 * @param io - the process's streams
 * @param signal - aborted on SIGINT, which aborts the upload or poll in flight
 * @returns 0 with a transcript, 1 when the task failed or could not be followed, 130 when interrupted
 * @throws UsageError for an unreadable file or a bad option, before anything is sent
 */
export async function transcribeCommand(args: TranscribeArgs, io: CliIo, signal: AbortSignal): Promise<ExitCode> {
  const { media, description } = await mediaSource(args.source);
  const progress = new TranscribeProgress(io.stderr);
  const retry = { onRetry: (event: RetryEvent) => progress.step(describeRetry(event)) };
  const events$ = withUsageErrors(() => transcribe$({ language: args.language, ...media }, { ...args.connection, retry }));
  let taskId: string | undefined;
  let last: TaskStatus | undefined;
  let printed: PrintedTranscript | undefined;
  /** After an early end: how to follow the task that goes on at CAMB, if one was created. */
  const resumeHint = () => (taskId === undefined ? '' : `\ntask ${taskId} goes on at CAMB; to follow it:\n  ${watchCommandLine(taskId, args, io.env)}`);

  progress.step(description);
  return runUntilDone(events$, signal, {
    next: (event) => {
      switch (event.type) {
        case 'created':
          taskId = event.taskId;
          return progress.note(`created task ${event.taskId}`);
        case 'status':
          if (event.status.status === last?.status) progress.update(statusText(event.status));
          else progress.step(statusText(event.status));
          last = event.status;
          return;
        case 'result':
          printed = { taskId: event.taskId, runId: event.runId, transcript: event.result.transcript };
      }
    },
    complete: () => {
      if (printed) {
        progress.end(`done: task ${printed.taskId} (run ${printed.runId}) after ${plural(last?.poll ?? 0, 'poll')}, ${formatElapsed(last?.elapsedMs ?? 0)}`);
        io.stdout.write(formatTranscript(args.format, printed));
        return ExitCodes.ok;
      }
      const detail = last ? failureDetail(last) : '';
      progress.end(`camb-rx: task ${last?.taskId ?? ''} ended with ${last?.status ?? 'no status'}${detail ? `: ${detail}` : ''}`);
      return ExitCodes.failed;
    },
    error: (error) => {
      progress.end(`camb-rx: ${errorMessage(error)}${resumeHint()}`);
      return ExitCodes.failed;
    },
    interrupted: () => progress.end(`camb-rx: interrupted${resumeHint()}`),
  });
}

/** A status as a progress step: `PENDING (poll 2, 1.3s)`. */
function statusText(status: TaskStatus): string {
  const next = status.status === TaskStatusValues.SUCCESS ? ', fetching the transcript' : '';
  return `${status.status} (poll ${status.poll}, ${formatElapsed(status.elapsedMs)})${next}`;
}

/** `camb-rx watch <id>`, with the options that the environment would not give it again. */
function watchCommandLine(taskId: string, { connection }: TranscribeArgs, env: Readonly<Record<string, string | undefined>>): string {
  const baseUrl = connection.baseUrl !== undefined && connection.baseUrl !== env['CAMB_BASE_URL'] ? ` --base-url ${connection.baseUrl}` : '';
  return `camb-rx watch ${taskId}${baseUrl}${connection.allowInsecureHttp ? ' --allow-insecure-http' : ''}`;
}
