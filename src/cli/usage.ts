import { DEFAULT_BASE_URL } from '../index.js';

/** The text of `camb-rx --help`. */
export const usage = `camb-rx: follow CAMB.AI tasks and transcribe media from a terminal

Usage:
  camb-rx watch <taskId...> [options]
      Follow transcription tasks until each one ends. Ids are read from stdin,
      one per line until it ends, when none are given and stdin is not a
      terminal, or when "-" is one of them.
  camb-rx transcribe <file|url> --language <id> [options]
      Upload a file (or have CAMB fetch an http(s) URL), follow the task and
      print the transcript on stdout; progress goes to stderr.

Options:
  --api-key <key>        API key (default: $CAMB_API_KEY, which is safer: other
                         users can see command lines)
  --base-url <url>       API root (default: ${DEFAULT_BASE_URL}); plain http
                         only to loopback, e.g. the camb-rx/testing simulator
  --interval <duration>  delay between polls (default: 2s, doubling up to 25s)
  --timeout <duration>   give up on a task after this long (default: 1h)
  -h, --help             show this help

watch:
  --json                 NDJSON on stdout: one object per status change, one per
                         task that cannot be followed, then a summary

transcribe:
  -l, --language <id>    CAMB language id of the speech (1 = en-us); required
  -f, --format <format>  text (default), json, srt or vtt

Durations are seconds (2, 0.5) or a number with ms, s, m or h (500ms, 5m).

Exit status: 0 every task succeeded, 1 a task failed or could not be followed,
2 usage error, 130 interrupted (Ctrl-C).
`;
