import { DEFAULT_BASE_URL, TaskKinds } from '../index.js';

/** The text of `camb-rx --help`. */
export const usage = `camb-rx: follow CAMB.AI tasks and transcribe media from a terminal

Usage:
  camb-rx watch <taskId...> [options]
      Follow tasks until each one ends. Ids are read from stdin, one per line
      until it ends, when none are given and stdin is not a terminal, or when
      "-" is one of them.
  camb-rx transcribe <file|url> --language <id> [options]
      Upload a file (or have CAMB fetch an http(s) URL), follow the task and
      print the transcript on stdout; progress goes to stderr.
  camb-rx --version

Options:
  --api-key <key>        API key (default: $CAMB_API_KEY, which is safer: other
                         users can see command lines)
  --base-url <url>       API root (default: $CAMB_BASE_URL, else
                         ${DEFAULT_BASE_URL}); plain http only to
                         loopback, e.g. the camb-rx/testing simulator
  --allow-insecure-http  allow a plain http --base-url to another host (a
                         self-hosted gateway): the key travels unencrypted
  --interval <duration>  delay between polls, at least 250ms, or
                         "adaptive[:<mean lag>]" to learn task durations and
                         poll near the optimum for them (default: a fixed
                         schedule tuned for a 5s mean lag)
  --timeout <duration>   give up on a task after this long (default: 1h)
  -h, --help             show this help
  -v, --version          show the version

watch:
  --json                 NDJSON on stdout: one object per status change, one per
                         task that cannot be followed, then a summary
  --kind <kind>          the kind of every task (default: transcribe):
                         ${wrap(Object.values(TaskKinds).join(', '), 55, 25)}
  --max-rps <n>          requests that may start in any one second (default: 20)
  --max-concurrent <n>   requests in flight at once (default: 16)

transcribe:
  -l, --language <id>    CAMB language id of the speech (1 = en-us); required
  -f, --format <format>  text (default), json, srt or vtt

Durations are seconds (2, 0.5) or a number with ms, s, m or h (500ms, 5m).
A read that fails for a passing reason (a 503, a reset connection) is retried
with backoff, and shown: "retrying (503), 2nd attempt in 1.2 s".

Exit status: 0 every task succeeded, 1 a task failed or could not be followed
(or CAMB refused the key), 2 usage error, 130 interrupted (Ctrl-C); an
interrupted transcribe prints the task id and the watch command that resumes it.
`;

/** Wraps a comma-separated list at `width` characters, indenting the lines after the first. */
function wrap(text: string, width: number, indent: number): string {
  const lines = [''];
  for (const word of text.split(' ')) {
    const line = lines.at(-1) as string;
    if (line !== '' && line.length + 1 + word.length > width) lines.push(word);
    else lines[lines.length - 1] = line === '' ? word : `${line} ${word}`;
  }
  return lines.join(`\n${' '.repeat(indent)}`);
}
