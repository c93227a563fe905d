import { defer, identity, map, retry, throwError, timer, type MonoTypeOperatorFunction, type Observable } from 'rxjs';
import { CambTimeoutError } from '../errors/camb-timeout-error.js';
import { pathSegment } from '../http/path-segment.js';
import { sendRequest$ } from '../http/send-request.js';
import { retryTransportWith } from '../retry/retry-transport-with.js';
import { cambOptionKeys } from '../connection/connection-options.js';
import { assertKnownKeys } from '../util/assert-known-keys.js';
import { pollOptionKeys, resolvePollOptions, type PollOptions, type ResolvedPollOptions } from './status-options.js';
import { statusBodySchema, type StatusBody } from '../wire/status-body.js';
import { isTaskKind, type TaskKind } from '../wire/task-kind.js';
import { toTaskStatus, type TaskStatus } from '../wire/task-status.js';
import { endOnAbort } from './end-on-abort.js';
import { pollUntilDone } from './poll-until-done.js';
import { isNotVisibleYet } from './not-found-grace.js';
import { reportTo } from './report-to-cadence.js';
import { whenOnline } from './when-online.js';
import { whenVisible } from './when-visible.js';

/**
 * The status stream of one CAMB task of any kind: polls `GET /{kind}/{taskId}` from subscription
 * until a terminal status, which it emits before completing. Cold: each subscription polls on its
 * own. Each cycle is `timer(delay) → switchMap(request)` chained on the previous response, so at
 * most one request is in flight and slow answers are never cancelled by the cadence.
 *
 * A failed task (ERROR, …) is data, not an error. The stream fails only when the status could not
 * be learned: `CambHttpError`, `CambTransportError` (after retries), `CambSchemaError`, or
 * `CambTimeoutError` at `timeoutMs`. Unsubscribing, or aborting `signal`, aborts the request in
 * flight and clears every timer.
 *
 * @param kind - the task kind, e.g. `'dub'`
 * @param taskId - the task id CAMB returned on create
 * @param options - `apiKey` and optional connection and polling options
 * @returns a cold observable of {@link TaskStatus}
 * @throws TypeError at call time for a bad kind, id or option
 * @example
 * ```ts
 * import { taskStatus$ } from 'camb-rx';
 * taskStatus$('dub', taskId, { apiKey: process.env.CAMB_API_KEY! })
 *   .subscribe((s) => console.log(s.status));
 * ```
 */
export function taskStatus$(kind: TaskKind, taskId: string, options: PollOptions): Observable<TaskStatus> {
  return taskStatusWith(kind, taskId, resolveStatusOptions(options));
}

/**
 * The options of a status stream, every name checked (a misspelt one is a `TypeError`), resolved.
 *
 * @internal
 */
export function resolveStatusOptions(options: PollOptions): ResolvedPollOptions {
  assertKnownKeys(options, [...cambOptionKeys, ...pollOptionKeys]);
  return resolvePollOptions(options);
}

/**
 * {@link taskStatus$} with options already resolved, for `mergeTasks` and the client, which
 * resolve them once for many tasks.
 *
 * @throws TypeError for a bad kind or id
 * @internal
 */
export function taskStatusWith(kind: TaskKind, taskId: string, options: ResolvedPollOptions): Observable<TaskStatus> {
  if (!isTaskKind(kind)) throw new TypeError(`camb-rx: unknown task kind ${JSON.stringify(kind)}`);
  return knownKindStatusWith(kind, taskId, options);
}

/**
 * {@link taskStatusWith} for a kind that needs no check (`transcriptionStatus$`'s): the check
 * needs the name of every kind, which the bundle of a single stream need not carry.
 *
 * @throws TypeError for a bad id
 * @internal
 */
export function knownKindStatusWith(kind: TaskKind, taskId: string, options: ResolvedPollOptions): Observable<TaskStatus> {
  const request = { method: 'GET', path: `${kind}/${pathSegment('taskId', taskId)}` } as const;
  const { connection, nextDelay, cadence, taskCreatedAt, timeoutMs, isTerminal, notFoundGraceMs, pauseWhenHidden, signal } = options;
  const { scheduler } = connection;
  /** One status read, retried per request; cold, so every subscription is a new request. */
  const statusBody$ = whenOnline(sendRequest$(request, statusBodySchema, connection)).pipe(retryTransportWith<StatusBody>(connection.retry));

  return defer(() => {
    const startedAt = taskCreatedAt ?? scheduler.now();
    const track = cadence?.track?.();
    const elapsedMs = () => scheduler.now() - startedAt;

    /** A 404 soon after subscription means "not visible yet": wait one cadence step, ask again. */
    const notFoundGrace = (poll: number, previous: TaskStatus | undefined): MonoTypeOperatorFunction<StatusBody> =>
      notFoundGraceMs === 0
        ? identity
        : retry({
            delay: (error: unknown) =>
              isNotVisibleYet(error, elapsedMs(), notFoundGraceMs)
                ? timer(nextDelay({ poll: poll - 1, elapsedMs: elapsedMs(), ...(previous && { status: previous }) }), scheduler)
                : throwError(() => error),
          });

    const read = (poll: number, previous: TaskStatus | undefined) => {
      const status$ = statusBody$.pipe(
        notFoundGrace(poll, previous),
        map((body) => toTaskStatus(body, { taskId, kind, poll, elapsedMs: elapsedMs(), isTerminal })),
      );
      return pauseWhenHidden ? whenVisible(status$) : status$;
    };

    const polls$ = pollUntilDone(read, {
      nextDelay: (status) => nextDelay({ poll: status.poll, elapsedMs: elapsedMs(), status }, track),
      timeoutMs,
      timeoutError: (lastStatus) => new CambTimeoutError({ taskId, timeoutMs, lastStatus }),
      scheduler,
    });
    return cadence ? polls$.pipe(reportTo(cadence, track)) : polls$;
  }).pipe(endOnAbort(signal));
}
