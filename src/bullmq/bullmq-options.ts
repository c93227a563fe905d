import type { ConnectionOptions } from 'bullmq';
import { assertKnownKeys, optionKeys } from '../util/assert-known-keys.js';
import { assertInteger, assertMs, optionError, withDefaults } from '../util/assert-option.js';
import { cambOptionKeys, resolveCambOptions, type CambOptions, type ResolvedCambOptions } from '../connection/connection-options.js';
import { adaptiveCadence, type AdaptiveCadenceOptions } from '../cadence/adaptive-cadence.js';
import { isPollCadence, type PollCadence } from '../cadence/poll-cadence.js';
import { resolveInterval, type PollContext, type PollInterval } from '../status/status-options.js';
import { TaskKinds, isTaskKind, type TaskKind } from '../wire/task-kind.js';
import { limiterWindows, type LimiterWindows } from './limiter-windows.js';

/**
 * The request budget of one API key, shared by every worker of its queue, as seen at the server.
 *
 * @example
 * ```ts
 * import type { CambQueueBudget } from 'camb-rx/bullmq';
 * const budget: CambQueueBudget = { maxRequestsPerSecond: 50, maxConcurrentRequests: 20 };
 * ```
 */
export interface CambQueueBudget {
  /** No sliding second at the server sees more requests than this (at least 2). */
  maxRequestsPerSecond: number;
  /** Requests in flight at once, over all workers. */
  maxConcurrentRequests: number;
  /**
   * The spread in ms of the delay from a request's slot in the limiter to its arrival at CAMB, which
   * the limiter's windows leave room for: half for the worker to send (enforced: a request not sent
   * within `slackMs / 2` of its slot gives the slot back unsent), half for variation in network transit.
   * @default 40
   */
  slackMs?: number;
}

/**
 * Options of `createCambQueue`: the connection to CAMB, the Redis connection, the shared budget
 * and the polling cadence.
 *
 * @example
 * ```ts
 * import { createCambQueue, type CambQueueOptions } from 'camb-rx/bullmq';
 * const options: CambQueueOptions = {
 *   apiKey: process.env.CAMB_API_KEY!,
 *   connection: { host: '127.0.0.1', port: 6379 },
 *   budget: { maxRequestsPerSecond: 50, maxConcurrentRequests: 20 },
 * };
 * const camb = createCambQueue(options);
 * ```
 */
export interface CambQueueOptions extends Omit<CambOptions, 'retry' | 'scheduler'> {
  /** Redis, as BullMQ takes it: ioredis options or an ioredis instance. */
  connection: ConnectionOptions;
  /**
   * The prefix of every Redis key.
   * @default 'camb-rx'
   */
  prefix?: string;
  /** The request budget of the API key, over all workers. */
  budget: CambQueueBudget;
  /**
   * The cadence of status reads, as for the streams: ms, a backoff, a cadence such as
   * `adaptiveCadence()` (which then learns only from the watches this process ends), or a function
   * of the `PollContext` (`elapsedMs` counts from the task's creation: `taskCreatedAt`, else the
   * first `watch`).
   * @default one adaptive cadence per task kind, whose learned state every worker shares through Redis (see `cadences`)
   */
  interval?: PollInterval | undefined;
  /**
   * Options of the shared adaptive cadence of each task kind (`meanLagMs`, `prior`, …; a `snapshot`
   * is used only while Redis holds none). Not used when `interval` is given.
   * @default {}
   */
  cadences?: Partial<Record<TaskKind, AdaptiveCadenceOptions>> | undefined;
  /**
   * From the first `watch`: then the task ends as a `TIMEOUT` decided by camb-rx; `Infinity` disables it.
   * @default 3_600_000 (one hour)
   */
  timeoutMs?: number;
  /**
   * For this long after the first `watch`, a 404 means "not visible yet" and is read again.
   * @default 0
   */
  notFoundGraceMs?: number;
  /**
   * Fetch the transcript of each successful transcription (one more budgeted request) and deliver it
   * with its status.
   * @default false
   */
  transcripts?: boolean;
  /**
   * How long a delivered result stays in Redis, so that a repeated `watch` of a finished task
   * delivers nothing twice.
   * @default 604_800_000 (7 days)
   */
  keepResultsMs?: number;
}

/** {@link CambQueueOptions} checked, with defaults filled in. */
export interface ResolvedCambQueueOptions {
  readonly camb: ResolvedCambOptions;
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  readonly limiter: LimiterWindows;
  readonly maxConcurrentRequests: number;
  /** A request not sent within this many ms of its slot gives the slot back. */
  readonly sendWithinMs: number;
  /** The `interval` as a function of the poll context, or `undefined` for the shared adaptive cadences. */
  readonly nextDelay: ((context: PollContext) => number) | undefined;
  /** The `interval` when it is a cadence: it hears the outcome of every watch this process ends. */
  readonly intervalCadence: PollCadence | undefined;
  /** The options of each kind's shared adaptive cadence. */
  readonly cadences: Partial<Record<TaskKind, AdaptiveCadenceOptions>>;
  readonly timeoutMs: number;
  readonly notFoundGraceMs: number;
  readonly transcripts: boolean;
  readonly keepResultsMs: number;
}

/** Every name of {@link CambQueueOptions} beyond the connection's, for the check of unknown options. */
const queueOptionKeys = optionKeys<Omit<CambQueueOptions, keyof CambOptions>>({
  connection: true,
  prefix: true,
  budget: true,
  interval: true,
  cadences: true,
  timeoutMs: true,
  notFoundGraceMs: true,
  transcripts: true,
  keepResultsMs: true,
});
const connectionKeys = cambOptionKeys.filter((key) => key !== 'retry' && key !== 'scheduler');
const budgetKeys = optionKeys<CambQueueBudget>({ maxRequestsPerSecond: true, maxConcurrentRequests: true, slackMs: true });

const queueDefaults = { prefix: 'camb-rx', timeoutMs: 3_600_000, notFoundGraceMs: 0, transcripts: false, keepResultsMs: 604_800_000 };

/** The properties of `options` named in `keys`. */
function pick(options: object, keys: readonly string[]): CambOptions {
  return Object.fromEntries(Object.entries(options).filter(([key]) => keys.includes(key))) as unknown as CambOptions;
}

/** Checks the options of each kind's shared cadence (by making one of each: a `TypeError` names what is wrong). */
function resolveCadences(cadences: unknown): Partial<Record<TaskKind, AdaptiveCadenceOptions>> {
  if (cadences === undefined) return {};
  if (typeof cadences !== 'object' || cadences === null) throw optionError('cadences', 'an object keyed by task kind', cadences);
  for (const [kind, options] of Object.entries(cadences)) {
    if (!isTaskKind(kind)) throw optionError('cadences', `keys from ${Object.values(TaskKinds).join(', ')}`, kind);
    adaptiveCadence(options as AdaptiveCadenceOptions);
  }
  return cadences;
}

/** Checks the queue options and fills in defaults; throws `TypeError` on a bad value. */
export function resolveCambQueueOptions(options: CambQueueOptions): ResolvedCambQueueOptions {
  if (typeof options !== 'object' || options === null) throw optionError('options', 'an object with `apiKey`, `connection` and `budget`', options);
  assertKnownKeys(options, [...connectionKeys, ...queueOptionKeys]);
  const camb = resolveCambOptions({ ...pick(options, connectionKeys), retry: false });
  const merged = withDefaults(queueDefaults, options);
  const { connection, budget } = options;
  if (typeof connection !== 'object' || connection === null) throw optionError('connection', 'ioredis options or an ioredis instance', connection);
  if (typeof merged.prefix !== 'string' || merged.prefix === '' || merged.prefix.includes(':')) {
    throw optionError('prefix', 'a non-empty string without `:`', merged.prefix);
  }
  if (typeof budget !== 'object' || budget === null) throw optionError('budget', 'an object with `maxRequestsPerSecond` and `maxConcurrentRequests`', budget);
  assertKnownKeys(budget, budgetKeys, 'budget.');
  const maxRequestsPerSecond = assertInteger('budget.maxRequestsPerSecond', budget.maxRequestsPerSecond, 2);
  const maxConcurrentRequests = assertInteger('budget.maxConcurrentRequests', budget.maxConcurrentRequests, 1);
  const slackMs = assertMs('budget.slackMs', budget.slackMs ?? 40, { min: 0 });
  if (typeof merged.transcripts !== 'boolean') throw optionError('transcripts', 'a boolean', merged.transcripts);
  return {
    camb,
    connection,
    prefix: merged.prefix,
    limiter: limiterWindows(maxRequestsPerSecond, slackMs),
    maxConcurrentRequests,
    sendWithinMs: slackMs / 2,
    nextDelay: options.interval === undefined ? undefined : resolveInterval(options.interval),
    intervalCadence: isPollCadence(options.interval) ? options.interval : undefined,
    cadences: resolveCadences(options.cadences),
    timeoutMs: assertMs('timeoutMs', merged.timeoutMs, { min: 1, allowInfinity: true }),
    notFoundGraceMs: assertMs('notFoundGraceMs', merged.notFoundGraceMs),
    transcripts: merged.transcripts,
    keepResultsMs: assertMs('keepResultsMs', merged.keepResultsMs, { min: 1 }),
  };
}
