/**
 * A Node pipeline: CAMB task ids in as NDJSON on stdin, status events out as NDJSON on stdout.
 *
 *   npm run build
 *   printf '{"taskId":"abc"}\n{"taskId":"def"}\n' | CAMB_API_KEY=... node examples/node-pipeline.mjs
 *
 * Environment: CAMB_API_KEY (required), CAMB_BASE_URL (e.g. a simulator's `url`; default CAMB's
 * production API), CAMB_POLL_MS (a fixed poll interval; default CAMB's recommended backoff).
 *
 * Input: one `{"taskId":"..."}` per line. Blank lines are ignored; any other line gives a
 * `bad-line` event and the pipeline goes on. An id already being watched is skipped.
 * Output, one JSON object per line:
 *   {"type":"status", ...TaskStatus}                  each change of a task's status
 *   {"type":"task-error","taskId","error":{...}}      a task that could not be followed (HTTP 404, ...)
 *   {"type":"bad-line","line":3,"error":"..."}
 *   {"type":"fatal","error":{...}}                    the whole stream failed
 *   {"type":"summary","succeeded","failed","taskErrors","badLines","interrupted"}   always last
 * Exit code (as the `camb-rx` CLI's): once stdin has ended and every task has reached an outcome,
 * 0 when every task succeeded, 1 when one failed or could not be followed; 1 after `fatal`;
 * 2 without CAMB_API_KEY; 130 on SIGINT (Ctrl-C): every request in flight is aborted, every timer
 * cleared, stdin closed and the summary written, and the process then ends by itself.
 *
 * It imports `camb-rx` by name, as an installed package would (the package refers to itself).
 */
import { createInterface } from 'node:readline';
import { distinctStatus, mergeTasks } from 'camb-rx';
import { filter, from, map } from 'rxjs';

const { CAMB_API_KEY: apiKey, CAMB_BASE_URL: baseUrl, CAMB_POLL_MS: pollMs } = process.env;
if (!apiKey) {
  process.stderr.write('node-pipeline: set CAMB_API_KEY (and CAMB_BASE_URL to use a simulator)\n');
  process.exit(2);
}

const counts = { succeeded: 0, failed: 0, taskErrors: 0, badLines: 0 };
const write = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
const describe = (error) => (typeof error?.toJSON === 'function' ? error.toJSON() : { name: error?.name, message: String(error?.message ?? error) });

/** The task id of an input line, or undefined after reporting the line as bad. */
function taskIdOf({ text, line }) {
  try {
    const taskId = JSON.parse(text)?.taskId;
    if (typeof taskId === 'string' && taskId !== '') return taskId;
    throw new Error('expected {"taskId":"..."}');
  } catch (error) {
    counts.badLines += 1;
    write({ type: 'bad-line', line, error: error.message });
    return undefined;
  }
}

const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
const taskIds$ = from(input).pipe(
  map((text, index) => ({ text: text.trim(), line: index + 1 })),
  filter(({ text }) => text !== ''),
  map(taskIdOf),
  filter((taskId) => taskId !== undefined),
);

const statuses$ = taskIds$.pipe(
  mergeTasks({
    apiKey,
    baseUrl: baseUrl || undefined,
    interval: pollMs ? Number(pollMs) : undefined,
    onTaskError: ({ taskId, error }) => {
      counts.taskErrors += 1;
      write({ type: 'task-error', taskId, error: describe(error) });
    },
  }),
  distinctStatus(),
);

let interrupted = false;
function finish(exitCode) {
  input.close(); // stop reading stdin, so that nothing keeps the process alive
  write({ type: 'summary', ...counts, interrupted });
  process.exitCode = exitCode;
}

const subscription = statuses$.subscribe({
  next: (status) => {
    if (status.done) counts[status.status === 'SUCCESS' ? 'succeeded' : 'failed'] += 1;
    write({ type: 'status', ...status });
  },
  error: (error) => {
    write({ type: 'fatal', error: describe(error) });
    finish(1);
  },
  complete: () => finish(counts.failed + counts.taskErrors > 0 ? 1 : 0),
});

process.once('SIGINT', () => {
  interrupted = true;
  subscription.unsubscribe(); // aborts every request in flight and clears every timer
  finish(130);
});
