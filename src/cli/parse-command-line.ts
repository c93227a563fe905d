import { parseArgs } from 'node:util';
import { TaskKinds, adaptiveCadence, isTaskKind, type AdaptiveCadence, type TaskKind } from '../index.js';
import { parseDuration } from './parse-duration.js';
import { TranscriptFormats, type TranscriptFormat } from './transcript-formats.js';
import { UsageError } from './usage-error.js';

/** How to reach CAMB and how to poll, from the common options. */
export interface ConnectionArgs {
  readonly apiKey: string;
  /** From `--base-url`, else `CAMB_BASE_URL`. */
  readonly baseUrl?: string;
  readonly allowInsecureHttp?: boolean;
  /** Milliseconds, or an adaptive cadence shared by every task of the command. */
  readonly interval?: number | AdaptiveCadence;
  readonly timeoutMs?: number;
}

/** The request budget of `watch`, from `--max-rps` and `--max-concurrent`. */
export interface BudgetArgs {
  readonly maxRequestsPerSecond?: number;
  readonly maxConcurrentRequests?: number;
}

/** `camb-rx watch <taskId...> [--json] [--kind K]`. */
export interface WatchArgs {
  readonly command: 'watch';
  readonly ids: readonly string[];
  /** Read ids from stdin: `-` was given, or no ids were and stdin is not a terminal. */
  readonly readStdin: boolean;
  readonly json: boolean;
  readonly kind: TaskKind;
  readonly budget: BudgetArgs;
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
export type CommandLine = { readonly command: 'help' } | { readonly command: 'version' } | WatchArgs | TranscribeArgs;

const options = {
  'api-key': { type: 'string' },
  'base-url': { type: 'string' },
  'allow-insecure-http': { type: 'boolean' },
  interval: { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  json: { type: 'boolean' },
  kind: { type: 'string' },
  'max-rps': { type: 'string' },
  'max-concurrent': { type: 'string' },
  language: { type: 'string', short: 'l' },
  format: { type: 'string', short: 'f' },
} as const;

type OptionName = keyof typeof options;

/** The options that belong to one command only. */
const ownOptions = { watch: ['json', 'kind', 'max-rps', 'max-concurrent'], transcribe: ['language', 'format'] } as const;

/** Every spelling of every option (`--language`, `-l`) → its long name. */
const spellings = new Map<string, OptionName>(
  Object.entries(options).flatMap(([name, option]) => [
    [`--${name}`, name as OptionName],
    ...('short' in option ? [[`-${option.short}`, name as OptionName] as const] : []),
  ]),
);

/**
 * Reads the command line with `node:util` `parseArgs`, strictly: an unknown option, a missing
 * value or a bad one is a {@link UsageError} worded in the command line's terms. Options may come
 * before or after the command; `--help` (or `--version`) anywhere asks for it.
 *
 * @param argv - the arguments after the script name
 * @param env - the environment, for `CAMB_API_KEY` and `CAMB_BASE_URL`
 * @param stdinIsTTY - whether stdin is a terminal (if not and no ids are given, watch reads ids from it)
 * @returns the command and its arguments
 * @throws UsageError
 */
export function parseCommandLine(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, stdinIsTTY: boolean): CommandLine {
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') return { command: 'help' };
  if (argv.includes('--version') || argv.includes('-v')) return { command: 'version' };
  const { values, positionals } = strictParse(withDashValuesAttached(argv));
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
    const { 'max-rps': maxRps, 'max-concurrent': maxConcurrent } = values;
    return {
      command,
      ids,
      readStdin,
      json: values.json === true,
      kind: kind(values.kind),
      budget: {
        ...(maxRps !== undefined && { maxRequestsPerSecond: positiveWholeNumber('--max-rps', maxRps) }),
        ...(maxConcurrent !== undefined && { maxConcurrentRequests: positiveWholeNumber('--max-concurrent', maxConcurrent) }),
      },
      connection: connectionArgs(values, env),
    };
  }
  const [source, ...extra] = operands;
  if (source === undefined || extra.length > 0) throw new UsageError('transcribe needs exactly one file or http(s) URL');
  return { command, source, language: language(values.language), format: format(values.format), connection: connectionArgs(values, env) };
}

/**
 * Joins an option to a value that starts with a dash (`--interval -5` → `--interval=-5`), which
 * `parseArgs` would otherwise call ambiguous, so that the value's own check words the error. An
 * option followed by another option, or by nothing, needs a value.
 */
function withDashValuesAttached(argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    const name = spellings.get(arg);
    if (arg === '--') return [...joined, ...argv.slice(i)];
    if (name === undefined || options[name].type !== 'string') {
      joined.push(arg);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || spellings.has(value.split('=')[0] as string)) throw new UsageError(`--${name} needs a value`);
    joined.push(`--${name}=${value}`);
    i += 1;
  }
  return joined;
}

/** `parseArgs`, with its own errors made usage errors (their first line: the rest is advice for another shape of CLI). */
function strictParse(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? (error.message.split(/\.\s|\n/)[0] ?? '') : String(error));
  }
}

/** The values of the common options. */
type CommonValues = { readonly [K in 'api-key' | 'base-url' | 'interval' | 'timeout']?: string | undefined } & {
  readonly 'allow-insecure-http'?: boolean | undefined;
};

/** The connection and polling options; the key from `--api-key`, else `CAMB_API_KEY`; the base URL likewise. */
function connectionArgs(values: CommonValues, env: Readonly<Record<string, string | undefined>>): ConnectionArgs {
  const { 'api-key': key, 'base-url': baseUrlOption, 'allow-insecure-http': allowInsecureHttp, interval, timeout } = values;
  const apiKey = key ?? env['CAMB_API_KEY'];
  if (!apiKey) throw new UsageError('missing API key: set CAMB_API_KEY, or pass --api-key');
  const baseUrl = baseUrlOption ?? (env['CAMB_BASE_URL'] || undefined);
  return {
    apiKey,
    ...(baseUrl !== undefined && { baseUrl }),
    ...(allowInsecureHttp === true && { allowInsecureHttp }),
    ...(interval !== undefined && { interval: pollInterval(interval) }),
    ...(timeout !== undefined && { timeoutMs: parseDuration('--timeout', timeout, { example: '90s', minMs: 1 }) }),
  };
}

/** `--interval`: a duration, or `adaptive` / `adaptive:<mean lag>` for a cadence that learns. */
function pollInterval(value: string): number | AdaptiveCadence {
  const adaptive = /^adaptive(?::(.+))?$/.exec(value);
  if (!adaptive) return parseDuration('--interval', value, { example: '2s' });
  const lag = adaptive[1];
  return adaptiveCadence(lag === undefined ? {} : { meanLagMs: parseDuration('--interval adaptive:<mean lag>', lag, { example: '7.5s', minMs: 1 }) });
}

/** A whole number of at least 1, e.g. `--max-rps`. */
function positiveWholeNumber(option: string, value: string, hint = ''): number {
  const number = Number(value);
  if (/^\d+$/.test(value) && number >= 1 && Number.isSafeInteger(number)) return number;
  throw new UsageError(`${option} must be a positive whole number${hint}, got ${JSON.stringify(value)}`);
}

/** `--language`: required, a positive whole number. */
function language(value: string | undefined): number {
  if (value === undefined) throw new UsageError('transcribe needs --language <id>, CAMB\'s language id of the speech (1 = en-us)');
  return positiveWholeNumber('--language', value, ' (CAMB\'s language id, 1 = en-us)');
}

/** `--format`: one of {@link TranscriptFormats}, `text` by default. */
function format(value: string | undefined): TranscriptFormat {
  if (value === undefined) return 'text';
  if ((TranscriptFormats as readonly string[]).includes(value)) return value as TranscriptFormat;
  throw new UsageError(`--format must be one of ${TranscriptFormats.join(', ')}, got ${JSON.stringify(value)}`);
}

/** `--kind`: one of CAMB's task kinds, `transcribe` by default. */
function kind(value: string | undefined): TaskKind {
  if (value === undefined) return TaskKinds.transcribe;
  if (isTaskKind(value)) return value;
  throw new UsageError(`--kind must be one of ${Object.values(TaskKinds).join(', ')}, got ${JSON.stringify(value)}`);
}
