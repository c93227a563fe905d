import { isPollCadence, type CadenceTrack, type PollCadence } from '../cadence/poll-cadence.js';
import { standaloneCadence } from '../cadence/standalone-cadence.js';
import { backoffDelay, type Backoff } from '../timing/backoff.js';
import { isTerminalStatus, type TaskStatus, type TaskStatusValue } from '../wire/task-status.js';
import { assertFunction, assertMs, assertNumber, assertOptionalEpochMs, optionError, withDefaults } from '../util/assert-option.js';
import { resolveCambOptions, type CambOptions, type ResolvedCambOptions } from '../connection/connection-options.js';
import { assertKnownKeys, optionKeys } from '../util/assert-known-keys.js';
import { MIN_POLL_INTERVAL_MS, withIntervalFloor } from './poll-interval-floor.js';

/**
 * What an `interval` function is told when it picks the next delay.
 *
 * @example
 * ```ts
 * import { transcriptionStatus$, type PollContext } from 'camb-rx';
 * const interval = ({ elapsedMs }: PollContext) => (elapsedMs < 60_000 ? 2000 : 15_000);
 * transcriptionStatus$(taskId, { apiKey, interval }).subscribe(console.log);
 * ```
 */
export interface PollContext {
  /** Status reads so far (0 before the first). */
  poll: number;
  /** Milliseconds since the task was created (`taskCreatedAt`, else since subscription). */
  elapsedMs: number;
  /** The latest status, if any was read. */
  status?: TaskStatus;
}

/**
 * The polling cadence: a fixed delay in ms, an exponential backoff (fields left out or undefined
 * come from {@link DEFAULT_POLL_BACKOFF}), a {@link PollCadence} such as `adaptiveCadence()` (which
 * learns from every stream it is given to), or your own function of the {@link PollContext}.
 *
 * @example
 * ```ts
 * import { adaptiveCadence, type PollInterval } from 'camb-rx';
 * const fixed: PollInterval = 5000;
 * const slower: PollInterval = { initialMs: 5000, maxMs: 60_000 };
 * const learned: PollInterval = adaptiveCadence({ meanLagMs: 7500 });
 * const custom: PollInterval = ({ poll }) => (poll < 5 ? 1000 : 10_000);
 * ```
 */
export type PollInterval = number | { [K in keyof Backoff]?: Backoff[K] | undefined } | PollCadence | ((context: PollContext) => number);

/**
 * How a status stream polls, on top of the connection options.
 *
 * @example
 * ```ts
 * import { transcriptionStatus$, type PollOptions } from 'camb-rx';
 * const options: PollOptions = { apiKey, interval: 5000, timeoutMs: 10 * 60_000, notFoundGraceMs: 10_000 };
 * transcriptionStatus$(taskId, options).subscribe(console.log);
 * ```
 */
export interface PollOptions extends CambOptions {
  /**
   * Delay between a response and the next poll: milliseconds, a backoff, a cadence
   * (`adaptiveCadence()`), or a function of the {@link PollContext}. The first poll goes out at
   * subscription.
   * @default the standalone schedule — fixed and deterministic, optimal for DEFAULT_DURATION_PRIOR at a mean detection lag of 5 s (first re-read after 17 s, then about every 8–10 s, wider as the task ages); `createCambClient` uses an adaptive cadence per task kind instead
   */
  interval?: PollInterval | undefined;
  /**
   * When the task was created (epoch ms, on the connection's scheduler clock), for a task watched
   * after it was created (a restart, ids from a queue): a status's `elapsedMs` and the cadence
   * count the task's age from it. The deadline `timeoutMs` still runs from subscription.
   * @default the time of subscription
   */
  taskCreatedAt?: number | undefined;
  /**
   * The floor under every delay of `interval` (numbers, backoff steps and function results alike):
   * a shorter one waits this long instead. Lower it only where polling fast costs nothing — a
   * `TestScheduler`'s virtual time, a loopback simulator; `0` turns the floor off.
   * @default 250 ({@link MIN_POLL_INTERVAL_MS})
   */
  minIntervalMs?: number | undefined;
  /**
   * Overall deadline from subscription; then the stream fails with `CambTimeoutError` carrying
   * the last status. Retries never extend it. `Infinity` disables it.
   * @default 3_600_000 (one hour)
   */
  timeoutMs?: number | undefined;
  /**
   * Which statuses end the stream.
   * @default isTerminalStatus — SUCCESS, ERROR, TIMEOUT, PAYMENT_REQUIRED
   */
  isTerminal?: ((status: TaskStatusValue) => boolean) | undefined;
  /**
   * For this long after subscription a 404 means "not visible yet" and is polled again.
   * @default 0
   */
  notFoundGraceMs?: number | undefined;
  /**
   * Aborting it ends the stream with the signal's reason, like `fetch`, and sends nothing more.
   * @default undefined
   */
  signal?: AbortSignal | undefined;
  /**
   * In a browser, hold reads while the tab is hidden (`document.visibilityState === 'hidden'`)
   * and read at once when it is shown again. No effect where there is no `document`.
   * @default true
   */
  pauseWhenHidden?: boolean | undefined;
}

/**
 * The polling options alone, for a client whose connection is already bound.
 *
 * @example
 * ```ts
 * import { createCambClient, type StreamOptions } from 'camb-rx';
 * const patient: StreamOptions = { interval: 10_000, timeoutMs: Infinity };
 * createCambClient({ apiKey }).transcriptionStatus$(taskId, patient).subscribe(console.log);
 * ```
 */
export type StreamOptions = Omit<PollOptions, keyof CambOptions>;

/**
 * The backoff that fills in the fields a backoff `interval` leaves out: from 2 s, doubling per
 * poll, capped at 25 s, with 20% jitter. It was the streams' default cadence before the adaptive
 * cadence; the default is now the standalone schedule (see `interval`), which `npm run
 * bench:economy` shows spending fewer requests at less lag.
 *
 * @example
 * ```ts
 * import { DEFAULT_POLL_BACKOFF, transcriptionStatus$ } from 'camb-rx';
 * transcriptionStatus$(taskId, { apiKey, interval: { ...DEFAULT_POLL_BACKOFF, maxMs: 60_000 } });
 * ```
 */
export const DEFAULT_POLL_BACKOFF: Readonly<Backoff> = { initialMs: 2000, factor: 2, maxMs: 25_000, jitter: 0.2 };

/** Every name of {@link StreamOptions} (the polling options), for the check of unknown options. */
export const pollOptionKeys = optionKeys<StreamOptions>({
  interval: true,
  minIntervalMs: true,
  timeoutMs: true,
  isTerminal: true,
  notFoundGraceMs: true,
  signal: true,
  taskCreatedAt: true,
  pauseWhenHidden: true,
});

const backoffKeys = optionKeys<Backoff>({ initialMs: true, factor: true, maxMs: true, jitter: true });

/** {@link PollOptions} checked, with defaults filled in and `interval` made a function. */
export interface ResolvedPollOptions {
  readonly connection: ResolvedCambOptions;
  /** The delay before the next read; `track`: the task's handle on a cadence that tracks tasks (its own delays decide when it has them). */
  readonly nextDelay: (context: PollContext, track?: CadenceTrack) => number;
  /** The cadence each stream reports its task's outcome to, when `interval` is one. */
  readonly cadence: PollCadence | undefined;
  readonly taskCreatedAt: number | undefined;
  readonly timeoutMs: number;
  readonly isTerminal: (status: TaskStatusValue) => boolean;
  readonly notFoundGraceMs: number;
  readonly pauseWhenHidden: boolean;
  readonly signal: AbortSignal | undefined;
}

/**
 * Turns any {@link PollInterval} into one function of the poll context (also the queue's cadence
 * seam). For a cadence, `track` is the task's handle: when it has its own `nextDelayMs` (an
 * explored task), that decides, checked as the cadence's is.
 */
export function resolveInterval(interval: PollInterval | undefined): (context: PollContext, track?: CadenceTrack) => number {
  if (interval === undefined) return ({ elapsedMs }) => standaloneCadence.nextDelayMs(elapsedMs);
  if (isPollCadence(interval)) {
    return ({ elapsedMs }, track) => assertMs('interval.nextDelayMs(ageMs) result', (track?.nextDelayMs ? track : interval).nextDelayMs!(elapsedMs));
  }
  if (typeof interval === 'function') return (context) => assertMs('interval(context) result', interval(context));
  if (typeof interval === 'number') {
    const delay = assertMs('interval', interval);
    return () => delay;
  }
  if (interval !== undefined && (typeof interval !== 'object' || interval === null || Array.isArray(interval))) {
    throw optionError('interval', 'milliseconds, a backoff object, a cadence or a function', interval);
  }
  assertKnownKeys(interval, backoffKeys, 'interval.');
  const backoff = withDefaults({ ...DEFAULT_POLL_BACKOFF }, interval);
  assertMs('interval.initialMs', backoff.initialMs);
  assertNumber('interval.factor', backoff.factor, 1, 100);
  assertMs('interval.maxMs', backoff.maxMs, { min: backoff.initialMs });
  assertNumber('interval.jitter', backoff.jitter, 0, 1);
  return ({ poll }) => backoffDelay(poll, backoff);
}

/**
 * Checks poll options (and connection options, unless already resolved) and fills in defaults;
 * throws `TypeError` on a bad value.
 */
export function resolvePollOptions(options: PollOptions): ResolvedPollOptions;
export function resolvePollOptions(options: StreamOptions, connection: ResolvedCambOptions): ResolvedPollOptions;
export function resolvePollOptions(options: StreamOptions, connection = resolveCambOptions(options as PollOptions)): ResolvedPollOptions {
  const merged = withDefaults({ timeoutMs: 3_600_000, isTerminal: isTerminalStatus, notFoundGraceMs: 0, minIntervalMs: MIN_POLL_INTERVAL_MS, pauseWhenHidden: true }, options);
  if (typeof merged.pauseWhenHidden !== 'boolean') throw optionError('pauseWhenHidden', 'true or false', merged.pauseWhenHidden);
  const { interval, taskCreatedAt } = options;
  assertOptionalEpochMs('taskCreatedAt', taskCreatedAt);
  const { signal } = options;
  if (signal !== undefined && (typeof signal?.addEventListener !== 'function' || typeof signal.aborted !== 'boolean')) {
    throw optionError('signal', 'an AbortSignal', signal);
  }
  return {
    connection,
    nextDelay: withIntervalFloor(resolveInterval(interval), assertMs('minIntervalMs', merged.minIntervalMs)),
    cadence: isPollCadence(interval) ? interval : undefined,
    taskCreatedAt,
    timeoutMs: assertMs('timeoutMs', merged.timeoutMs, { min: 1, allowInfinity: true }),
    isTerminal: assertFunction('isTerminal', merged.isTerminal),
    notFoundGraceMs: assertMs('notFoundGraceMs', merged.notFoundGraceMs),
    pauseWhenHidden: merged.pauseWhenHidden,
    signal,
  };
}
