import type { Subscriber } from 'rxjs';
import { CambMergeError, type TaskFailure } from '../errors/camb-merge-error.js';
import { CambTimeoutError } from '../errors/camb-timeout-error.js';
import { pathSegment } from '../http/path-segment.js';
import type { ReleaseSlot, RequestGate } from '../http/request-gate.js';
import { ABANDONED, fetchBody, prepareRequest, timedOutError } from '../http/send-request.js';
import { retryDelay } from '../retry/retry-delay.js';
import { isNotVisibleYet } from '../status/not-found-grace.js';
import type { ResolvedPollOptions } from '../status/status-options.js';
import type { StatusBody } from '../wire/status-body.js';
import type { TaskKind } from '../wire/task-kind.js';
import { toTaskStatus, type TaskStatus } from '../wire/task-status.js';
import { ShardedMap } from '../util/sharded-map.js';
import { AnswerSlices } from './answer-slices.js';
import { IdFeed } from './id-feed.js';
import { LastStatusBody } from './last-status-body.js';
import { nextPollDelay, reportToCadence, trackOnCadence } from './next-poll-delay.js';
import { TaskPhases, TaskRecord } from './task-record.js';
import { PageGate } from './page-gate.js';
import { TimerHeap } from './timer-heap.js';

/** The abort reason of a request stopped at `requestTimeoutMs`. */
const TIMED_OUT = { reason: 'camb-rx request timeout' };

/** What the engine does with a task that cannot be followed (`mergeTasks`' options). */
export interface FailurePolicy {
  readonly failFast: boolean;
  readonly onTaskError: ((failure: TaskFailure) => void) | undefined;
  /** `failures: 'emit'`: each failure is a value of the stream. */
  readonly emitFailures: boolean;
}

/**
 * Watches many tasks from one scheduler: every task is a {@link TaskRecord}, every timer of every
 * task (cadence, retry backoff, not-found grace, request timeout, deadline) is an entry in one
 * {@link TimerHeap} with one armed timer, requests go through the budget's callback API, and
 * incoming ids and the answers to reads are both handled in slices ({@link IdFeed},
 * {@link AnswerSlices}). It keeps the status stream's semantics read
 * for read (the conformance suite runs the same cases against both): one read in flight per task,
 * the next one `interval` after a response, retries with backoff and `Retry-After`, a 404 within
 * `notFoundGraceMs` read again, `CambTimeoutError` with the last status at `timeoutMs`, and
 * exact cancellation (abort only what is in flight, leave no timer), ages from `taskCreatedAt`,
 * the page gates (offline, hidden page), and one report per task to an adaptive cadence. A budget
 * slot is given back when its exchange has settled, an aborted one as abandoned, as the status
 * stream does.
 *
 * One engine serves one subscription of `mergeTasks`; {@link TaskEngine.close} tears it down.
 *
 * @internal
 */
export class TaskEngine {
  private readonly tasks = new ShardedMap<TaskRecord>();
  private readonly timers: TimerHeap<TaskRecord>;
  private readonly feed: IdFeed;
  private readonly answers: AnswerSlices;
  private readonly gate: PageGate<TaskRecord>;
  private readonly failures: TaskFailure[] = [];
  /** The scheduler time the engine counts from (see `now`). */
  private readonly epoch: number;
  private readonly hrefPrefix: string;
  private readonly init: ReturnType<typeof prepareRequest>['init'];
  private readonly bodies: LastStatusBody;
  private inputDone = false;
  private closed = false;

  /**
   * @param kind - the kind of every task
   * @param options - resolved poll options (their `signal` is the caller's business); their
   *   connection's `budget` must be `budget`, which a 429 pauses at its headers
   * @param budget - the request budget every read waits for
   * @param policy - failFast, onTaskError and whether failures are emitted
   * @param subscriber - where statuses, the merge error and completion go
   */
  constructor(
    private readonly kind: TaskKind,
    private readonly options: ResolvedPollOptions,
    private readonly budget: RequestGate,
    private readonly policy: FailurePolicy,
    private readonly subscriber: Subscriber<TaskStatus | TaskFailure>,
  ) {
    const { scheduler } = options.connection;
    this.epoch = scheduler.now();
    this.timers = new TimerHeap(scheduler, (task) => this.onTimer(task), this.epoch);
    this.feed = new IdFeed(scheduler, (taskId) => this.watch(taskId));
    this.answers = new AnswerSlices(scheduler);
    this.gate = new PageGate<TaskRecord>(options.pauseWhenHidden, (task) => task.phase === TaskPhases.queued && this.send(task, false));
    const prepared = prepareRequest({ method: 'GET', path: kind }, options.connection);
    this.hrefPrefix = `${prepared.href}/`;
    this.init = prepared.init;
    this.bodies = new LastStatusBody(options.connection.redact);
  }

  /** An id came in: watched now or in the next slice; skipped while that id is being watched. */
  add(taskId: string): void {
    this.feed.push(taskId);
  }

  /** No more ids will come: completes (or fails with the collected failures) once every task is done. */
  endOfInput(): void {
    this.inputDone = true;
    this.completeIfDone();
  }

  /** Tears every task down: aborts requests in flight, leaves the budget's queue, clears the timer. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.feed.close();
    this.answers.close();
    this.gate.close();
    for (const task of this.tasks.values()) {
      this.stop(task);
      reportToCadence(this.options, task);
    }
    this.tasks.clear();
    this.timers.clear();
  }

  /**
   * The engine's time: the scheduler's, counted from the engine's start. Times are kept this way
   * in every task record because small whole numbers are stored in the record itself, where
   * epoch milliseconds would each take a box of their own (16 bytes a field, for every task).
   */
  private now(): number {
    return this.options.connection.scheduler.now() - this.epoch;
  }

  private watch(taskId: string): void {
    if (this.closed || this.tasks.has(taskId)) return;
    let segment: string;
    try {
      segment = pathSegment('taskId', taskId);
    } catch (error) {
      return this.fail(taskId, error);
    }
    const now = this.now();
    const { timeoutMs, taskCreatedAt } = this.options;
    const task = new TaskRecord(taskId, segment === taskId ? taskId : segment, taskCreatedAt === undefined ? now : taskCreatedAt - this.epoch, timeoutMs === Infinity ? Infinity : now + timeoutMs);
    task.cadenceTrack = trackOnCadence(this.options);
    this.tasks.set(taskId, task);
    task.poll = 1;
    this.send(task);
  }

  /**
   * Sends the task's current read through the budget, after the page gates (offline, or a hidden
   * page for a new read) let it: held, it counts as queued.
   */
  private send(task: TaskRecord, gated = true): void {
    task.phase = TaskPhases.queued;
    this.wakeAt(task, Infinity);
    const held = gated ? this.gate.hold(task, task.attempt === 0) : undefined;
    if (held) {
      task.cancelQueued = held;
      return;
    }
    const cancel = this.budget.acquire((release) => this.dispatch(task, release));
    if (task.phase === TaskPhases.queued) task.cancelQueued = cancel;
  }

  /**
   * The budget let the read go: starts the request with its timeout. Its slot is given back once
   * the exchange has settled (as abandoned when it was aborted), even if the task is gone by then.
   */
  private dispatch(task: TaskRecord, release: ReleaseSlot): void {
    task.phase = TaskPhases.inFlight;
    task.cancelQueued = undefined;
    const controller = new AbortController();
    task.controller = controller;
    const { connection } = this.options;
    // The request goes out first, its timeout is armed right after: nothing reads the clock between
    // the budget's decision and the fetch call.
    const href = this.hrefPrefix + task.pathSegment; // built per read: 100,000 tasks waiting keep no URL each
    const settled = fetchBody(href, { ...this.init, signal: controller.signal }, connection);
    this.wakeAt(task, connection.requestTimeoutMs === Infinity ? Infinity : this.now() + connection.requestTimeoutMs);
    settled.then(
      (text) => {
        release();
        if (task.controller === controller) this.answers.handle(() => this.onText(task, controller, href, text));
      },
      (error: unknown) => {
        release(controller.signal.aborted ? ABANDONED : undefined); // a 429 paused the budget at its headers
        this.onError(task, controller, href, error);
      },
    );
  }

  /** The text of a 2xx answer, handled in its slice: parsed, unless the task was torn down meanwhile. */
  private onText(task: TaskRecord, controller: AbortController, href: string, text: string): void {
    if (task.controller !== controller) return;
    let body: StatusBody;
    try {
      body = this.bodies.parse(text, href);
    } catch (error) {
      return this.onError(task, controller, href, error); // a body that breaks the contract
    }
    this.onBody(task, body);
  }

  /** A status body of the task's read in flight (its caller checked the read is still the task's). */
  private onBody(task: TaskRecord, body: StatusBody): void {
    this.settle(task);
    const elapsedMs = this.now() - task.startedAt;
    let status: TaskStatus;
    try {
      status = toTaskStatus(body, { taskId: task.taskId, kind: this.kind, poll: task.poll, elapsedMs, isTerminal: this.options.isTerminal });
      task.latest = status;
      if (!status.done) {
        task.runningAtMs = elapsedMs;
        task.cadenceTrack?.pending(elapsedMs);
        this.wakeAt(task, this.now() + nextPollDelay(this.options, status.poll, elapsedMs, status, task.cadenceTrack));
        task.poll++;
        task.attempt = 0;
      }
    } catch (error) {
      return this.fail(task, error); // a throwing `isTerminal` or `interval`
    }
    this.subscriber.next(status);
    if (status.done && task.phase !== TaskPhases.ended) this.end(task);
  }

  private onError(task: TaskRecord, controller: AbortController, href: string, cause: unknown): void {
    if (task.controller !== controller) return;
    const { connection, notFoundGraceMs } = this.options;
    const error = controller.signal.reason === TIMED_OUT ? timedOutError(cause, this.init.method, href, connection.requestTimeoutMs) : cause;
    this.settle(task);
    let failure = error;
    try {
      if (connection.retry) {
        try {
          return this.wakeAt(task, this.now() + retryDelay(error, ++task.attempt, connection.retry));
        } catch (refused) {
          failure = refused; // not retried: the error itself, or why its Retry-After was refused
        }
      }
      const elapsedMs = this.now() - task.startedAt;
      if (isNotVisibleYet(failure, elapsedMs, notFoundGraceMs)) {
        task.attempt = 0;
        return this.wakeAt(task, this.now() + nextPollDelay(this.options, task.poll - 1, elapsedMs, task.latest));
      }
    } catch (thrown) {
      failure = thrown; // a throwing `retryOn`, `onRetry` or `interval`
    }
    this.fail(task, failure);
  }

  /** The request of `task` is over: back to idle. */
  private settle(task: TaskRecord): void {
    task.phase = TaskPhases.idle;
    task.controller = undefined;
    this.wakeAt(task, Infinity);
  }

  /** Its heap entry came due: the deadline, the request timeout, or the next read. */
  private onTimer(task: TaskRecord): void {
    if (this.now() >= task.deadlineAt) {
      const error = new CambTimeoutError({ taskId: task.taskId, timeoutMs: this.options.timeoutMs, lastStatus: task.latest });
      this.stop(task);
      return this.fail(task, error);
    }
    if (task.phase === TaskPhases.inFlight) {
      this.wakeAt(task, Infinity);
      task.controller?.abort(TIMED_OUT); // the fetch rejects, and onError reports the timeout
    } else if (task.phase === TaskPhases.idle) this.send(task);
  }

  /** Sets when the task next needs attention: `at`, or its deadline if sooner. */
  private wakeAt(task: TaskRecord, at: number): void {
    const due = Math.min(at, task.deadlineAt);
    if (due !== task.at || task.heapIndex < 0) this.timers.set(task, due);
  }

  /** Stops whatever the task is doing: leaves the budget's queue, or aborts its request (whose slot comes back when it settles). */
  private stop(task: TaskRecord): void {
    if (task.phase === TaskPhases.queued) task.cancelQueued?.();
    else if (task.phase === TaskPhases.inFlight) {
      const { controller } = task;
      task.controller = undefined;
      controller?.abort();
    }
    task.cancelQueued = undefined;
    task.phase = TaskPhases.ended;
  }

  /** The task reached its outcome: tell the cadence, forget it. */
  private end(task: TaskRecord): void {
    task.phase = TaskPhases.ended;
    this.timers.delete(task);
    this.tasks.delete(task.taskId);
    reportToCadence(this.options, task);
    this.completeIfDone();
  }

  /**
   * A task cannot be followed: fail everything (failFast); else tell `onTaskError`, and emit it
   * (`failures: 'emit'`) or keep it for the end (without `onTaskError`).
   */
  private fail(task: TaskRecord | string, error: unknown): void {
    const taskId = typeof task === 'string' ? task : task.taskId;
    const failure: TaskFailure = { taskId, kind: this.kind, error };
    if (this.policy.failFast) return this.subscriber.error(new CambMergeError([failure]));
    try {
      this.policy.onTaskError?.(failure);
    } catch (thrown) {
      return this.subscriber.error(thrown);
    }
    if (this.policy.emitFailures) this.subscriber.next(failure);
    else if (!this.policy.onTaskError) this.failures.push(failure);
    if (typeof task !== 'string' && task.phase !== TaskPhases.ended) this.stop(task);
    if (typeof task !== 'string') this.end(task);
    else this.completeIfDone();
  }

  private completeIfDone(): void {
    if (this.closed || !this.inputDone || this.feed.pending > 0 || this.tasks.size > 0) return;
    if (this.failures.length > 0) this.subscriber.error(new CambMergeError(this.failures));
    else this.subscriber.complete();
  }
}
