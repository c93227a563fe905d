import { parseArgs } from 'node:util';
import { parseDuration } from './parse-duration.js';
import { TranscriptFormats, type TranscriptFormat } from './transcript-formats.js';
import { UsageError } from './usage-error.js';

/** How to reach CAMB and how to poll, from the common options. */
export interface ConnectionArgs {
  readonly apiKey: string;
  readonly baseUrl?: string;
  readonly interval?: number;
  readonly timeoutMs?: number;
}

/** `camb-rx watch <taskId...> [--json]`. */
export interface WatchArgs {
  readonly command: 'watch';
  readonly ids: readonly string[];
  /** Read ids from stdin: `-` was given, or no ids were and stdin is not a terminal. */
  readonly readStdin: boolean;
  readonly json: boolean;
  readonly connection: ConnectionArgs;
}

/** `camb-rx transcribe <file|url> --language N [--format F]`. */
export interface TranscribeArgs {
  readonly command: 'transcribe';
  readonly source: string;
  readonly language: number;
  readonly format: TranscriptFormat;
  readonly connection: ConnectionArgs;
}

/** A command line, understood. */
export type CommandLine = { readonly command: 'help' } | WatchArgs | TranscribeArgs;

const options = {
  'api-key': { type: 'string' },
  'base-url': { type: 'string' },
  interval: { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  language: { type: 'string', short: 'l' },
  format: { type: 'string', short: 'f' },
} as const;

/** The options that belong to one command only. */
const ownOptions = { watch: ['json'], transcribe: ['language', 'format'] } as const;

/**
 * Reads the command line with `node:util` `parseArgs`, strictly: an unknown option, a missing
 * value or a bad one is a {@link UsageError}. Options may come before or after the command;
 * `--help` anywhere asks for help.
 *
 * @param argv - the arguments after the script name
 * @param env - the environment, for `CAMB_API_KEY`
 * @param stdinIsTTY - whether stdin is a terminal (if not and no ids are given, watch reads ids from it)
 * @returns the command and its arguments
 * @throws UsageError
 */
export function parseCommandLine(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, stdinIsTTY: boolean): CommandLine {
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') return { command: 'help' };
  const { values, positionals } = strictParse(argv);
  const [command, ...operands] = positionals;
  if (command !== 'watch' && command !== 'transcribe') {
    throw new UsageError(command === undefined ? 'missing command: watch or transcribe' : `unknown command ${JSON.stringify(command)}: use watch or transcribe`);
  }
  const other = command === 'watch' ? 'transcribe' : 'watch';
  const misplaced = ownOptions[other].find((name) => values[name] !== undefined);
  if (misplaced) throw new UsageError(`--${misplaced} is an option of ${other}, not of ${command}`);

  if (command === 'watch') {
    const ids = operands.filter((id) => id !== '-');
    const readStdin = ids.length < operands.length || (ids.length === 0 && !stdinIsTTY);
    if (ids.length === 0 && !readStdin) throw new UsageError('watch needs task ids, as arguments or on stdin (one per line)');
    return { command, ids, readStdin, json: values.json === true, connection: connectionArgs(values, env) };
  }
  const [source, ...extra] = operands;
  if (source === undefined || extra.length > 0) throw new UsageError('transcribe needs exactly one file or http(s) URL');
  return { command, source, language: language(values.language), format: format(values.format), connection: connectionArgs(values, env) };
}

/** `parseArgs`, with its own errors made usage errors (their first line: the rest is advice for another shape of CLI). */
function strictParse(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? (error.message.split(/\.\s|\n/)[0] ?? '') : String(error));
  }
}

/** The string values of the common options. */
type CommonValues = { readonly [K in 'api-key' | 'base-url' | 'interval' | 'timeout']?: string | undefined };

/** The connection and polling options; the key from `--api-key`, else `CAMB_API_KEY`. */
function connectionArgs(values: CommonValues, env: Readonly<Record<string, string | undefined>>): ConnectionArgs {
  const { 'api-key': key, 'base-url': baseUrl, interval, timeout } = values;
  const apiKey = key ?? env['CAMB_API_KEY'];
  if (!apiKey) throw new UsageError('missing API key: set CAMB_API_KEY, or pass --api-key');
  return {
    apiKey,
    ...(baseUrl !== undefined && { baseUrl }),
    ...(interval !== undefined && { interval: parseDuration('--interval', interval) }),
    ...(timeout !== undefined && { timeoutMs: parseDuration('--timeout', timeout) }),
  };
}

/** `--language`: required, a positive whole number. */
function language(value: string | undefined): number {
  if (value === undefined) throw new UsageError('transcribe needs --language <id>, CAMB\'s language id of the speech (1 = en-us)');
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--language must be a positive whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** `--format`: one of {@link TranscriptFormats}, `text` by default. */
function format(value: string | undefined): TranscriptFormat {
  if (value === undefined) return 'text';
  if ((TranscriptFormats as readonly string[]).includes(value)) return value as TranscriptFormat;
  throw new UsageError(`--format must be one of ${TranscriptFormats.join(', ')}, got ${JSON.stringify(value)}`);
}
