import type { CadenceObservation } from '../cadence/poll-cadence.js';
import { DelayedError, RateLimitError, UnrecoverableError, type Job, type Queue } from 'bullmq';
import { firstValueFrom } from 'rxjs';
import { CambErrorCodes } from '../errors/error-codes.js';
import { isCambError, isCambHttpError } from '../errors/guards.js';
import { pathSegment } from '../http/path-segment.js';
import { isRetryableError } from '../retry/retryable-error.js';
import { sendRequest$ } from '../http/send-request.js';
import { fullJitterDelay } from '../timing/backoff.js';
import { createTranscriptionWith, isSafeToRetryCreate } from '../transcription/create-transcription.js';
import { transcriptionResultWith } from '../transcription/transcription-result.js';
import { statusBodySchema } from '../wire/status-body.js';
import { TaskKinds } from '../wire/task-kind.js';
import { TaskStatusValues, isTerminalStatus, toTaskStatus, type TaskStatus } from '../wire/task-status.js';
import type { ResolvedCambQueueOptions } from './bullmq-options.js';
import { taskJobId } from './job-ids.js';
import { PollSteps, type CreateJobData, type CreateJobResult, type PollJobData, type WatchJobData } from './poll-job-data.js';
import { DecidedBy, type QueuedTaskStatus } from './queued-task-status.js';
import { resultJobOptions, watchJobOptions } from './job-options.js';
import type { QueueCadence } from './queue-cadence.js';

/** The pause of every worker after a 429 without a usable `Retry-After`. */
const DEFAULT_RATE_LIMIT_PAUSE_MS = 1000;

/**
 * What a job throws once it moved itself to delayed, as BullMQ asks. One instance for every job:
 * BullMQ only checks its class and never changes it, and an error made per read (a stack trace
 * captured each time) was 4% of a busy worker's CPU (`node --cpu-prof`; bench/HISTORY.md, run 7).
 */
const MOVED_TO_DELAYED = new DelayedError();

/** Retry backoff after a failed request: full jitter from 500 ms, capped at 20 s. */
const retryDelay = (failures: number) => fullJitterDelay(failures, 500, 20_000);

/** What the processor needs besides the options: its queues, and who hears of each status read. */
export interface PollProcessorContext {
  readonly options: ResolvedCambQueueOptions;
  /** When to read next, and where each watch's outcome is reported. */
  readonly cadence: QueueCadence;
  readonly polls: Queue<PollJobData>;
  readonly results: Queue<QueuedTaskStatus>;
  readonly onStatus: (status: TaskStatus) => void;
}

/**
 * The processor of the polls queue: one CAMB request per job activation, so the queue's limiter
 * and global concurrency budget every request of every worker. A watch that is not done moves
 * itself back to delayed (`DelayedError`) with its next read time; a terminal status adds the
 * result job (id from kind + task id, so a repeat is a no-op) and only then completes.
 */
export function pollProcessor(context: PollProcessorContext): (job: Job<PollJobData>, token?: string) => Promise<CreateJobResult | QueuedTaskStatus> {
  return (job, token) => (job.name === PollSteps.create ? create(job as Job<CreateJobData>, token, context) : watch(job as Job<WatchJobData>, token, context));
}

/** A slot older than this cannot be used without breaking the budget's bound (see `limiterWindows`). */
function slotIsStale(job: Job, sendWithinMs: number): boolean {
  return Date.now() - (job.processedOn ?? 0) > sendWithinMs;
}

/** The longest a worker pauses after giving a slot back (see `giveSlotBack`). */
const MAX_LATE_PAUSE_MS = 1000;

/**
 * Gives the job's limiter slot back unsent, and pauses as long as the worker was late for it (up to
 * {@link MAX_LATE_PAUSE_MS}): the job is due again after that, for any worker, and this fetcher takes
 * its next job (and slot) only then. A worker late for its slots is short of CPU; taking the next
 * slots at once, it would be late for them too and spend on give-backs (two Redis scripts each) the
 * CPU its requests need, while other workers could have used those slots (bench/HISTORY.md, run 7).
 */
async function giveSlotBack(job: Job, token: string | undefined): Promise<never> {
  const pauseMs = Math.min(Math.max(0, Date.now() - (job.processedOn ?? 0)), MAX_LATE_PAUSE_MS);
  await job.moveToDelayed(Date.now() + pauseMs, token);
  await new Promise((resolve) => setTimeout(resolve, pauseMs));
  throw MOVED_TO_DELAYED;
}

/** Sends one request, unless the slot it was started in is too old to keep the budget's bound. */
async function sendInSlot<T>(job: Job, token: string | undefined, sendWithinMs: number, send: () => Promise<T>): Promise<T> {
  if (slotIsStale(job, sendWithinMs)) return giveSlotBack(job, token);
  return send();
}

/** A 429: the API key's budget is spent at the server, for every worker. */
const isTooManyRequests = (error: unknown) => isCambHttpError(error) && error.status === 429;

/** Pauses every worker of the queue for the server's `Retry-After`, and puts the job back to wait. */
async function pauseAll(polls: Queue, error: unknown): Promise<never> {
  const retryAfterMs = isCambHttpError(error) ? error.retryAfterMs : undefined;
  await polls.rateLimit(Math.max(1, Math.ceil(retryAfterMs ?? DEFAULT_RATE_LIMIT_PAUSE_MS)));
  throw new RateLimitError();
}

/**
 * Moves the job back to delayed with new data, to be taken by any worker at `at` (epoch ms): one
 * Redis call (BullMQ's `moveToDelayed` script writes the data too, as it does for its own retries).
 */
async function later(job: Job<WatchJobData>, token: string | undefined, data: WatchJobData, at: number, polls: Queue): Promise<never> {
  const now = Date.now();
  await polls.getBackend().moveToDelayed(job.id!, now, Math.max(0, Math.ceil(at) - now), token, { skipAttempt: true, fieldsToUpdate: { data: JSON.stringify(data) } });
  throw MOVED_TO_DELAYED;
}

/** The task's age base: its creation when known, else the first watch. */
const bornAt = (data: WatchJobData) => data.createdAt ?? data.watchedAt;

/** What the watch saw of the task's duration: running at its last pending read, and finished by `finishedAt` if it did. */
function observation(data: WatchJobData, finishedAt?: number): CadenceObservation {
  const runningAtMs = data.pendingAt === undefined ? 0 : Math.max(0, data.pendingAt - bornAt(data));
  return finishedAt === undefined ? { runningAtMs } : { runningAtMs, finishedByMs: Math.max(runningAtMs, finishedAt - bornAt(data)) };
}

/** Adds the result job (a no-op when it exists), then lets the poll job complete. */
async function finish(status: QueuedTaskStatus, results: Queue<QueuedTaskStatus>, keepResultsMs: number): Promise<QueuedTaskStatus> {
  await results.add(status.status, status, resultJobOptions(taskJobId(status.kind, status.taskId), keepResultsMs));
  return status;
}

/** A terminal status decided by camb-rx: `TIMEOUT` at the deadline, or `ERROR` with the error's code. */
function givenUp(data: WatchJobData, status: string, reason: string, message: string): QueuedTaskStatus {
  return {
    taskId: data.taskId,
    kind: data.kind,
    status,
    done: true,
    exceptionReason: reason,
    message,
    poll: data.polls ?? 0,
    elapsedMs: Date.now() - bornAt(data),
    decidedBy: DecidedBy.cambRx,
  };
}

/** A watch's data for its next read: the task, its age, its reads and the last pending one (failures reset, zeros left out). */
function afterReads(data: WatchJobData, polls: number, pendingAt = data.pendingAt): WatchJobData {
  return {
    kind: data.kind,
    taskId: data.taskId,
    watchedAt: data.watchedAt,
    ...(data.createdAt !== undefined && { createdAt: data.createdAt }),
    ...(polls > 0 && { polls }),
    ...(pendingAt !== undefined && { pendingAt }),
  };
}

async function watch(job: Job<WatchJobData>, token: string | undefined, context: PollProcessorContext): Promise<QueuedTaskStatus> {
  const { options, polls, results, cadence } = context;
  const { camb, timeoutMs, notFoundGraceMs, sendWithinMs, keepResultsMs } = options;
  const data = job.data;
  const deadline = data.watchedAt + timeoutMs;
  /** A watch that ends without a terminal status from CAMB tells the cadence only how long the task ran at least. */
  const endWithout = async (status: QueuedTaskStatus) => {
    await cadence.observe(data.kind, job.id!, observation(data));
    return finish(status, results, keepResultsMs);
  };
  if (Date.now() >= deadline) {
    const message = `no terminal status within ${timeoutMs} ms (${data.polls ?? 0} reads)`;
    return endWithout(givenUp(data, TaskStatusValues.TIMEOUT, CambErrorCodes.timeout, message));
  }
  const retryLater = () => {
    const failures = (data.failures ?? 0) + 1;
    return later(job, token, { ...data, failures }, Math.min(Date.now() + retryDelay(failures), deadline), polls);
  };

  if (data.status?.runId !== undefined) {
    const transcript = await sendInSlot(job, token, sendWithinMs, () => firstValueFrom(transcriptionResultWith(data.status!.runId!, false, camb))).catch(
      async (error: unknown) => {
        if (error instanceof DelayedError) throw error;
        if (isTooManyRequests(error)) return pauseAll(polls, error);
        if (isRetryableError(error)) return retryLater();
        return undefined; // a permanent failure: the status is delivered without its transcript
      },
    );
    return finish({ ...data.status, decidedBy: DecidedBy.camb, ...(transcript && { transcript: transcript.transcript }) }, results, keepResultsMs);
  }

  const request = { method: 'GET', path: `${data.kind}/${pathSegment('taskId', data.taskId)}` } as const;
  let body;
  try {
    body = await sendInSlot(job, token, sendWithinMs, () => firstValueFrom(sendRequest$(request, statusBodySchema, camb)));
  } catch (error) {
    if (error instanceof DelayedError) throw error;
    if (isTooManyRequests(error)) return pauseAll(polls, error);
    const now = Date.now();
    const notVisibleYet = isCambHttpError(error) && error.status === 404 && now - data.watchedAt < notFoundGraceMs;
    if (notVisibleYet) {
      const context = { poll: data.polls ?? 0, elapsedMs: now - bornAt(data) };
      return later(job, token, afterReads(data, data.polls ?? 0), Math.min(now + cadence.nextDelayMs(data.kind, context), deadline), polls);
    }
    if (isRetryableError(error)) return retryLater();
    const reason = isCambError(error) ? error.code : 'CAMB_RX_ERROR';
    return endWithout(givenUp(data, TaskStatusValues.ERROR, reason, error instanceof Error ? error.message : String(error)));
  }

  const readAt = Date.now();
  const poll = (data.polls ?? 0) + 1;
  const elapsedMs = readAt - bornAt(data);
  const status = toTaskStatus(body, { taskId: data.taskId, kind: data.kind, poll, elapsedMs, isTerminal: isTerminalStatus });
  context.onStatus(status);
  if (!status.done) {
    const next = afterReads(data, poll, readAt);
    return later(job, token, next, Math.min(readAt + cadence.nextDelayMs(data.kind, { poll, elapsedMs, status }), deadline), polls);
  }
  await cadence.observe(data.kind, job.id!, observation(data, readAt));
  if (options.transcripts && data.kind === TaskKinds.transcribe && status.runId !== undefined) {
    return later(job, token, { ...afterReads(data, poll), status }, readAt, polls);
  }
  return finish({ ...status, decidedBy: DecidedBy.camb }, results, keepResultsMs);
}

async function create(job: Job<CreateJobData>, token: string | undefined, context: PollProcessorContext): Promise<CreateJobResult> {
  const { options, polls } = context;
  const { sent, taskId: knownId, createdAt, ...request } = job.data;
  const watchCreated = async (taskId: string, bornAt = createdAt) => {
    const watchData: WatchJobData = { kind: TaskKinds.transcribe, taskId, watchedAt: Date.now(), ...(bornAt !== undefined && { createdAt: bornAt }) };
    await polls.add(PollSteps.watch, watchData, watchJobOptions(taskJobId(TaskKinds.transcribe, taskId)));
    return { taskId };
  };
  if (knownId !== undefined) return watchCreated(knownId);
  if (sent) throw new UnrecoverableError('camb-rx: a worker stopped while this create request was in flight; it is not sent again, since CAMB may have made (and billed) the task');

  await job.updateData({ ...job.data, sent: true });
  const unsent = () => job.updateData(request); // no task can exist: sending again is safe
  if (slotIsStale(job, options.sendWithinMs)) {
    await unsent();
    return giveSlotBack(job, token);
  }
  let taskId: string;
  const sentAt = Date.now();
  try {
    taskId = (await firstValueFrom(createTranscriptionWith(request, options.camb))).taskId;
  } catch (error) {
    if (!isSafeToRetryCreate(error)) throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    await unsent();
    if (isTooManyRequests(error)) return pauseAll(polls, error);
    await job.moveToDelayed(Date.now() + retryDelay(job.attemptsStarted), token);
    throw MOVED_TO_DELAYED;
  }
  await job.updateData({ ...job.data, sent: true, taskId, createdAt: sentAt });
  return watchCreated(taskId, sentAt);
}
