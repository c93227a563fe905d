import { Observable, type Subscriber } from 'rxjs';
import { safeParse, type $ZodType } from 'zod/v4/core';
import { CambHttpError } from '../errors/camb-http-error.js';
import { CambSchemaError } from '../errors/camb-schema-error.js';
import { CambTransportError } from '../errors/camb-transport-error.js';
import type { ResolvedCambOptions } from '../connection/connection-options.js';
import { parseRetryAfter } from '../timing/retry-after.js';
import type { FetchInit, FetchResponse } from './fetch-like.js';
import { loadFetch } from './load-fetch.js';
import type { ReleaseSlot, SlotOutcome } from './request-gate.js';
import type { Redactor } from '../util/redactor.js';
import { BodyTooLargeError, excerpt, readBody, readBodyStart } from './read-body.js';

/** One request to the CAMB API, relative to `baseUrl`. */
export interface CambRequest {
  method: 'GET' | 'POST';
  /** Path below `baseUrl`, its segments already encoded, e.g. `transcribe/abc`. */
  path: string;
  query?: Record<string, string>;
  /** A JSON string (sent as application/json) or multipart form data. */
  body?: string | FormData;
}

/** Error bodies are only read for a message: a short start is enough, read within a short wait. */
const ERROR_BODY_MAX_BYTES = 4096;
const ERROR_BODY_MAX_MS = 1000;

/**
 * One request, as a cold observable of its validated body: one `AbortController` per
 * subscription, aborted on unsubscribe and after `requestTimeoutMs`, which starts when the request
 * does (after any wait for the connection's request budget). Not retried here.
 *
 * Under a budget, the request holds its slot until its exchange is over, also when it is
 * abandoned (timed out or unsubscribed): the slot is handed on only once the aborted fetch has
 * settled, its connection closed, so the server never counts more requests in flight than the
 * budget allows.
 *
 * @returns emits the parsed body once and completes, or fails with `CambHttpError`,
 *   `CambTransportError` or `CambSchemaError`
 */
export function sendRequest$<T>(request: CambRequest, schema: $ZodType<T>, connection: ResolvedCambOptions): Observable<T> {
  const { href, init } = prepareRequest(request, connection);

  /** Sends the request now; `release` (under a budget) is called once the exchange is over. Returns the teardown. */
  const send = (subscriber: Subscriber<T>, release?: ReleaseSlot) => {
    const controller = new AbortController();
    const timedOut = { reason: 'camb-rx request timeout' };
    const timeout =
      connection.requestTimeoutMs === Infinity
        ? undefined
        : connection.scheduler.schedule(() => controller.abort(timedOut), connection.requestTimeoutMs);

    let settled = false;
    exchange(href, { ...init, signal: controller.signal }, schema, connection).then(
      (value) => {
        settled = true;
        release?.();
        subscriber.next(value);
        subscriber.complete();
      },
      (error: unknown) => {
        settled = true;
        release?.(controller.signal.aborted ? ABANDONED : undefined); // a 429 paused the budget at its headers
        subscriber.error(controller.signal.reason === timedOut ? timedOutError(error, init.method, href, connection.requestTimeoutMs) : error);
      },
    );

    return () => {
      timeout?.unsubscribe();
      if (!settled) controller.abort(); // only a request still in flight: aborting costs a DOMException and an event
    };
  };

  const budget = connection.budget;
  if (!budget) return new Observable<T>((subscriber) => send(subscriber));
  return new Observable<T>((subscriber) => {
    let teardown: (() => void) | undefined;
    const cancel = budget.acquire((release) => (teardown = send(subscriber, release)));
    return () => {
      cancel();
      teardown?.();
    };
  });
}

/**
 * How an aborted or torn-down exchange gives its slot back: the slot stays taken a moment longer
 * (see the budget). Shared by every holder of a slot: this stream, the budget's `run`, the engine.
 *
 * @internal
 */
export const ABANDONED: SlotOutcome = { abandoned: true };

/** A request ready for `fetch`: its URL and its init, without the signal. */
export interface PreparedRequest {
  readonly href: string;
  readonly init: Omit<FetchInit, 'signal'>;
}

/**
 * The URL and init of a request: the key header, `accept`, the content type of a JSON body, and
 * `redirect: 'manual'`. Shared by {@link sendRequest$} and the engine behind `mergeTasks`.
 *
 * @internal
 */
export function prepareRequest(request: CambRequest, connection: ResolvedCambOptions): PreparedRequest {
  const url = new URL(`${connection.baseUrl}/${request.path}`);
  for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
  const headers: Record<string, string> = { 'x-api-key': connection.apiKey, accept: 'application/json' };
  if (typeof request.body === 'string') headers['content-type'] = 'application/json';
  // `x-api-key` is no credential header that fetch strips on a cross-origin redirect: never follow one.
  const init = { method: request.method, headers, redirect: 'manual' as const, ...(request.body !== undefined && { body: request.body }) };
  return { href: url.href, init };
}

/**
 * What the failure of an exchange aborted at `requestTimeoutMs` is: a transport failure becomes
 * the timeout's `CambTransportError`; an HTTP error, decided by its status line, stays as it is.
 * Shared by {@link sendRequest$} and the engine behind `mergeTasks`.
 *
 * @internal
 */
export function timedOutError(error: unknown, method: string, url: string, requestTimeoutMs: number): unknown {
  const detail = `no complete response within ${requestTimeoutMs} ms`;
  return error instanceof CambTransportError ? new CambTransportError({ failure: 'timeout', method, url, detail }, { cause: error }) : error;
}

/**
 * Sends one request and reads, parses and validates the answer; the key is redacted (with the
 * connection's redactor) from everything the server sent before it enters an error or the value.
 *
 * @param url - the full request URL
 * @param init - what to pass to fetch, with the request's signal
 * @param schema - the body's contract
 * @param connection - the resolved connection: its fetch, body cap, scheduler and redactor
 * @returns the validated body
 * @throws CambHttpError for a non-2xx status, decided on the status line and headers;
 *   CambTransportError when fetch or the body read fails; CambSchemaError for a body that breaks
 *   the contract; anything else thrown is a bug, passed on as it is
 */
export function exchange<T>(url: string, init: FetchInit, schema: $ZodType<T>, connection: ResolvedCambOptions): Promise<T> {
  return fetchBody(url, init, connection).then((text) => parseBody(text, schema, url, connection.redact));
}

/**
 * The first half of {@link exchange}: sends the request and reads the 2xx body as text, for a
 * caller that parses it with {@link parseBody} itself (the engine, which parses a body read
 * before only once).
 *
 * @returns the body's text
 * @throws CambHttpError for a non-2xx status; CambTransportError when fetch or the body read
 *   fails; CambSchemaError for a body past `maxBodyBytes`
 * @internal
 */
export async function fetchBody(url: string, init: FetchInit, connection: ResolvedCambOptions): Promise<string> {
  const { redact } = connection;
  const loaded = connection.fetch ?? loadFetch();
  const fetch = typeof loaded === 'function' ? loaded : await loaded; // no extra turn when fetch is at hand
  let response: FetchResponse;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw transportError(error, init.method, url, redact);
  }
  if (response.status < 200 || response.status > 299) throw await httpError(response, init.method, url, connection);
  try {
    return await readBody(response, connection.maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new CambSchemaError({ url, problem: `${error.message} (maxBodyBytes)`, bodyExcerpt: '' });
    throw transportError(error, init.method, url, redact);
  }
}

/**
 * The second half of {@link exchange}: parses a 2xx body's text as JSON, validates it with
 * `schema` and redacts the key from it.
 *
 * @param text - the body read by {@link fetchBody}
 * @param schema - the body's contract
 * @param url - the request URL, for the error
 * @param redact - the connection's redactor
 * @returns the validated, redacted value
 * @throws CambSchemaError for a body that is not JSON or breaks the contract
 * @internal
 */
export function parseBody<T>(text: string, schema: $ZodType<T>, url: string, redact: Redactor): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CambSchemaError({ url, problem: 'body is not JSON', bodyExcerpt: excerpt(redact.text(text)) });
  }
  const parsed = safeParse(schema, json);
  if (parsed.success) return redact.value(parsed.data);
  const issues = parsed.error.issues.map(({ path, message }) => ({ path: redact.value(path), message: redact.text(message) }));
  const problem = issues.map((issue) => `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`).join('; ');
  throw new CambSchemaError({ url, problem, bodyExcerpt: excerpt(redact.text(text)), issues });
}

/** What a failure of fetch or of the body read becomes: a retryable `CambTransportError`, its cause redacted. */
function transportError(thrown: unknown, method: string, url: string, redact: Redactor): CambTransportError {
  const error = redact.error(thrown);
  const detail = redact.text(describeNetworkError(error));
  return new CambTransportError({ failure: 'network', method, url, detail, systemCode: systemCodeOf(error) }, { cause: error });
}

/**
 * A `CambHttpError` from an error response, decided by its status and `Retry-After`; the body
 * only adds an excerpt, read with a short bound so that a body that never ends cannot turn it
 * into a timeout.
 */
async function httpError(response: FetchResponse, method: string, url: string, connection: ResolvedCambOptions): Promise<CambHttpError> {
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
  // A 429 holds the shared budget from its headers on: a slow body must not let others through meanwhile.
  if (response.status === 429 && retryAfterMs !== undefined) connection.budget?.pauseFor(retryAfterMs);
  const body = await readBodyStart(response, ERROR_BODY_MAX_BYTES, ERROR_BODY_MAX_MS, connection.scheduler);
  const shown = excerpt(body.cut ? connection.redact.cutText(body.text) : connection.redact.text(body.text));
  const bodyExcerpt = body.cut && shown && !shown.endsWith('…') ? `${shown}…` : shown;
  return new CambHttpError({
    status: response.status,
    method,
    url,
    ...(bodyExcerpt && { bodyExcerpt }),
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  });
}

/** The system error code (ECONNRESET, …) of a fetch failure: on the error (node-fetch) or its cause (Node). */
function systemCodeOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 3; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(code)) return code;
  }
  return undefined;
}

/** The runtime's words for a network failure, with its system code or its cause's message. */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return [error.message, systemCodeOf(error) ?? cause].filter(Boolean).join(': ');
}
