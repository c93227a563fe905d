import { Queue, QueueEvents, type Job } from 'bullmq';
import { Observable, bufferTime, concatMap, defer, filter, from, merge, mergeMap, type ObservableInput, type Subscriber } from 'rxjs';
import { pathSegment } from '../http/path-segment.js';
import { assertKnownKeys, optionKeys } from '../util/assert-known-keys.js';
import { assertInteger, assertMs, assertOptionalEpochMs, optionError } from '../util/assert-option.js';
import { assertTranscriptionRequest, type TranscriptionRequest } from '../transcription/transcription-request.js';
import { TaskKinds, isTaskKind, type TaskKind } from '../wire/task-kind.js';
import type { TaskStatus } from '../wire/task-status.js';
import { resolveCambQueueOptions, type CambQueueOptions } from './bullmq-options.js';
import { createJobId, queueNames, taskJobId } from './job-ids.js';
import { MAX_STALLED_COUNT, createJobOptions, watchJobOptions } from './job-options.js';
import { PollSteps, type CreateJobData, type CreateJobResult, type PollJobData, type WatchJobData } from './poll-job-data.js';
import { pollProcessor } from './poll-processor.js';
import type { QueuedTaskStatus } from './queued-task-status.js';
import { fetcherShares } from './fetcher-shares.js';
import { workerObservable } from './worker-observable.js';
import { FAILED_WATCHES, failedJobSweep } from './failed-job-sweep.js';
import { SharedCadences } from './shared-cadences.js';
import { intervalQueueCadence, sharedQueueCadence, type QueueCadence } from './queue-cadence.js';

/**
 * Options of `runWorker`.
 *
 * @example
 * ```ts
 * import type { RunWorkerOptions } from 'camb-rx/bullmq';
 * const options: RunWorkerOptions = { concurrency: 20 };
 * ```
 */
export interface RunWorkerOptions {
  /** Jobs this worker runs at once (the queue's `maxConcurrentRequests` caps all workers together). */
  concurrency: number;
  /**
   * How long a job stays locked to this worker without a renewal; a killed worker's job is taken
   * over after it (at the next stalled check).
   * @default 30_000
   */
  lockDurationMs?: number;
  /**
   * How often this worker looks for jobs whose worker died.
   * @default 30_000
   */
  stalledIntervalMs?: number;
}

/**
 * Options of `results$` and `terminalStatuses$`.
 *
 * @example
 * ```ts
 * import type { ResultsOptions } from 'camb-rx/bullmq';
 * const options: ResultsOptions = { concurrency: 10 };
 * ```
 */
export interface ResultsOptions {
  /**
   * Results handled at once by this process.
   * @default 1
   */
  concurrency?: number;
}

/**
 * Options of `watch`.
 *
 * @example
 * ```ts
 * import type { WatchOptions } from 'camb-rx/bullmq';
 * const options: WatchOptions = { taskCreatedAt: Date.parse('2026-11-30T02:00:00Z') };
 * ```
 */
export interface WatchOptions {
  /**
   * When the task was created (epoch ms), for a task watched some time after: the cadence and the
   * statuses' `elapsedMs` count the task's age from it. `timeoutMs` still runs from the first `watch`.
   * @default the time of the first `watch`
   */
  taskCreatedAt?: number | undefined;
}

const watchKeys = optionKeys<WatchOptions>({ taskCreatedAt: true });
const runWorkerKeys = optionKeys<RunWorkerOptions>({ concurrency: true, lockDurationMs: true, stalledIntervalMs: true });
const resultsKeys = optionKeys<ResultsOptions>({ concurrency: true });

/**
 * A CAMB task queue on Redis and BullMQ: watches that survive crashes, and one request budget
 * shared by every worker of the API key.
 *
 * @example
 * ```ts
 * import { createCambQueue, type CambQueue } from 'camb-rx/bullmq';
 * const camb: CambQueue = createCambQueue({ apiKey, connection, budget });
 * await camb.watch(taskId);
 * ```
 */
export interface CambQueue {
  /**
   * Watches a task until a terminal status, which the results queue then delivers. Idempotent:
   * one job per kind and id, however often and from however many processes it is called.
   *
   * @param taskId - the task id CAMB returned on create
   * @param kind - the task kind
   * @param options - when the task was created, if before this call
   * @returns resolves once the watch is in Redis
   * @throws TypeError at call time for a bad id, kind or option
   */
  watch(taskId: string, kind?: TaskKind, options?: WatchOptions): Promise<void>;
  /**
   * Watches every id of `ids$` (added to Redis in batches of up to 1,000, every 50 ms).
   *
   * @param ids$ - task ids: an observable, array or any `ObservableInput`
   * @param kind - the kind of every task
   * @returns emits each task id once its watch is in Redis
   * @throws TypeError at call time for a bad kind
   */
  watchAll(ids$: ObservableInput<string>, kind?: TaskKind): Observable<string>;
  /**
   * Creates a transcription as a budgeted job (`POST /transcribe` by a worker), then watches it.
   * Only `mediaUrl` requests, since the request travels through Redis. Cold: each subscription
   * adds one create job. The job runs even if nobody waits any more; it is never sent twice when a
   * worker dies mid-request (it fails instead, and the observable with it).
   *
   * @param request - language and `mediaUrl` (and optional project fields)
   * @returns emits `{ taskId }` once the worker created the task
   * @throws TypeError at call time for a bad request or one with `mediaFile`
   */
  createTranscription(request: TranscriptionRequest): Observable<{
    /** The new task's id; its terminal status comes through the results queue. */
    taskId: string;
  }>;
  /**
   * Runs a worker in this process while subscribed: it emits every status it reads.
   * Unsubscribing closes it gracefully: requests in flight finish, nothing new is taken.
   *
   * @param options - its concurrency, and how fast a dead worker's jobs are taken over
   * @returns a cold observable of the statuses this worker reads
   * @throws TypeError at call time for bad options
   */
  runWorker(options: RunWorkerOptions): Observable<TaskStatus>;
  /**
   * Calls `handler` once per terminal status, at least once and effectively once: a result job per
   * task, completed only when the handler resolves (a rejection retries it with backoff).
   *
   * @param handler - called with each terminal status; may return a promise
   * @param options - how many results this process handles at once
   * @returns while subscribed, emits each status whose handler resolved
   * @throws TypeError at call time when `handler` is not a function
   */
  results$(handler: (status: QueuedTaskStatus) => unknown, options?: ResultsOptions): Observable<QueuedTaskStatus>;
  /**
   * The terminal statuses, each delivered at least once; a result counts as delivered when it is emitted.
   *
   * @param options - how many results this process handles at once
   * @returns while subscribed, emits each terminal status
   */
  terminalStatuses$(options?: ResultsOptions): Observable<QueuedTaskStatus>;
  /**
   * Closes the Redis connections of this object, after the workers it started finished closing.
   *
   * @returns resolves once everything is closed
   */
  close(): Promise<void>;
}

/**
 * Runs `workers$` while the shared cadences are loaded and syncing; on unsubscribe, the workers close
 * first, then the cadences write what this process learned (both awaited by `close()`).
 */
function sharingCadences<T>(shared: SharedCadences, workers$: Observable<T>, closing: Set<Promise<void>>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const started = shared.start();
    const inner = from(started).pipe(mergeMap(() => workers$)).subscribe(subscriber);
    return () => {
      const closingBefore = [...closing];
      inner.unsubscribe();
      const workersClosing = [...closing].filter((promise) => !closingBefore.includes(promise));
      const stopped = Promise.all([started, ...workersClosing])
        .catch(() => undefined)
        .then(() => shared.stop())
        .catch(() => undefined)
        .finally(() => closing.delete(stopped));
      closing.add(stopped);
    };
  });
}

/**
 * Creates the queue of one API key: producers `watch` tasks, workers (`runWorker`, in any number
 * of processes) read their statuses within one shared budget, and consumers take the terminal
 * statuses from `results$`. Needs Redis 6.2+ with `maxmemory-policy noeviction`.
 *
 * @param options - `apiKey`, Redis `connection`, the `budget`, and optional cadence and timeouts
 * @returns a {@link CambQueue}; it opens Redis connections on first use
 * @throws TypeError at call time for a bad option
 * @example
 * ```ts
 * import { createCambQueue } from 'camb-rx/bullmq';
 * const camb = createCambQueue({
 *   apiKey: process.env.CAMB_API_KEY!,
 *   connection: { host: '127.0.0.1', port: 6379 },
 *   budget: { maxRequestsPerSecond: 50, maxConcurrentRequests: 20 },
 * });
 * camb.runWorker({ concurrency: 20 }).subscribe();
 * camb.results$(async (s) => console.log(s.taskId, s.status)).subscribe();
 * await camb.watch('a-task-id');
 * ```
 */
export function createCambQueue(options: CambQueueOptions): CambQueue {
  const resolved = resolveCambQueueOptions(options);
  const { connection, prefix, limiter, maxConcurrentRequests } = resolved;
  const names = queueNames(resolved.camb.apiKey);
  const polls = new Queue<PollJobData>(names.polls, { connection, prefix });
  const results = new Queue<QueuedTaskStatus>(names.results, { connection, prefix });
  polls.on('error', () => undefined); // BullMQ reconnects; calls made meanwhile reject on their own
  results.on('error', () => undefined);
  const closing = new Set<Promise<void>>();
  let events: QueueEvents | undefined;
  /** The budget, written to the queue's meta by whoever comes first (the same values from all). */
  let configured: Promise<void> | undefined;
  const ready = () =>
    (configured ??= Promise.all([polls.setGlobalRateLimit(limiter.max, limiter.duration), polls.setGlobalConcurrency(maxConcurrentRequests)]).then(
      () => undefined,
      (error: unknown) => {
        configured = undefined;
        throw error;
      },
    ));

  const watchData = (taskId: string, kind: TaskKind, createdAt?: number): { name: string; data: WatchJobData; opts: ReturnType<typeof watchJobOptions> } => ({
    name: PollSteps.watch,
    data: { kind, taskId, watchedAt: Date.now(), ...(createdAt !== undefined && { createdAt }) },
    opts: watchJobOptions(taskJobId(kind, taskId)),
  });
  /** Without `interval`, each kind's adaptive cadence, shared by every worker through Redis. */
  const shared = resolved.nextDelay === undefined ? new SharedCadences(() => polls.getBackend().client, polls.qualifiedName, resolved.cadences) : undefined;
  const cadence: QueueCadence = shared ? sharedQueueCadence(shared) : intervalQueueCadence(resolved.nextDelay!, resolved.intervalCadence);
  const checkKind = (kind: unknown): TaskKind => {
    if (!isTaskKind(kind)) throw optionError('kind', 'a TaskKind', kind);
    return kind;
  };

  const resultsWorker = (handler: (status: QueuedTaskStatus) => unknown, resultsOptions: ResultsOptions | undefined) => {
    assertKnownKeys(resultsOptions, resultsKeys);
    const concurrency = assertInteger('concurrency', resultsOptions?.concurrency ?? 1, 1);
    // A result whose handler failed on every attempt is moved back too: nothing is lost.
    return merge(
      workerObservable<QueuedTaskStatus, void, QueuedTaskStatus>(
        names.results,
        async (job, _token, subscriber) => {
          await handler(job.data);
          subscriber.next(job.data);
        },
        { connection, prefix, concurrency, maxStalledCount: MAX_STALLED_COUNT },
        closing,
      ),
      failedJobSweep<QueuedTaskStatus, QueuedTaskStatus>(results, { id: () => true, job: () => true }, closing),
    );
  };

  return {
    watch(taskId, kind = TaskKinds.transcribe, watchOptions) {
      pathSegment('taskId', taskId);
      assertKnownKeys(watchOptions, watchKeys);
      const createdAt = assertOptionalEpochMs('taskCreatedAt', watchOptions?.taskCreatedAt);
      const { name, data, opts } = watchData(taskId, checkKind(kind), createdAt);
      return ready().then(async () => void (await polls.add(name, data, opts)));
    },

    watchAll(ids$, kind = TaskKinds.transcribe) {
      checkKind(kind);
      return defer(() => from(ready())).pipe(
        mergeMap(() => from(ids$)),
        bufferTime(50, null, 1000),
        filter((ids) => ids.length > 0),
        concatMap(async (ids) => {
          await polls.addBulk(ids.map((id) => (pathSegment('taskId', id), watchData(id, kind))));
          return ids;
        }),
        mergeMap((ids) => ids),
      );
    },

    createTranscription(request) {
      assertTranscriptionRequest(request);
      const { language, mediaUrl, mediaFile, fileName, ...project } = request;
      if (mediaFile !== undefined || mediaUrl === undefined) {
        throw new TypeError('camb-rx: the queue creates transcriptions from `mediaUrl` only; upload a file with createTranscription$, then watch its task id');
      }
      const data: CreateJobData = { language, mediaUrl, ...project };
      return defer(async () => {
        events ??= new QueueEvents(names.polls, { connection, prefix });
        await Promise.all([ready(), events.waitUntilReady()]);
        const job = (await polls.add(PollSteps.create, data, createJobOptions(createJobId()))) as Job<PollJobData, CreateJobResult>;
        const { taskId } = await job.waitUntilFinished(events);
        return { taskId };
      });
    },

    runWorker(workerOptions) {
      if (typeof workerOptions !== 'object' || workerOptions === null) throw optionError('options', 'an object with `concurrency`', workerOptions);
      assertKnownKeys(workerOptions, runWorkerKeys);
      const concurrency = assertInteger('concurrency', workerOptions.concurrency, 1);
      const lockDuration = assertMs('lockDurationMs', workerOptions.lockDurationMs ?? 30_000, { min: 1000 });
      const stalledInterval = assertMs('stalledIntervalMs', workerOptions.stalledIntervalMs ?? 30_000, { min: 1000 });
      /** One processor per subscriber (made on its first job), not one per job. */
      const processors = new WeakMap<Subscriber<TaskStatus>, ReturnType<typeof pollProcessor>>();
      const process = (job: Job<PollJobData>, token: string | undefined, subscriber: Subscriber<TaskStatus>) => {
        let processor = processors.get(subscriber);
        if (!processor) processors.set(subscriber, (processor = pollProcessor({ options: resolved, cadence, polls, results, onStatus: (status) => subscriber.next(status) })));
        return processor(job, token);
      };
      const worker$ = (share: number) =>
        workerObservable<PollJobData, CreateJobResult | QueuedTaskStatus, TaskStatus>(
          names.polls,
          process,
          { connection, prefix, concurrency: share, lockDuration, stalledInterval, maxStalledCount: MAX_STALLED_COUNT },
          closing,
        );
      const workers$ = defer(() => from(ready())).pipe(mergeMap(() => merge(...fetcherShares(concurrency).map(worker$), failedJobSweep<PollJobData, TaskStatus>(polls, FAILED_WATCHES, closing))));
      return shared ? sharingCadences(shared, workers$, closing) : workers$;
    },

    results$(handler, resultsOptions) {
      if (typeof handler !== 'function') throw optionError('handler', 'a function', handler);
      return resultsWorker(handler, resultsOptions);
    },

    terminalStatuses$(resultsOptions) {
      return resultsWorker(() => undefined, resultsOptions);
    },

    async close() {
      await Promise.all(closing);
      await Promise.all([polls.close(), results.close(), events?.close()]);
    },
  };
}
