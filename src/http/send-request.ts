import { Observable } from 'rxjs';
import type * as z from 'zod/mini';
import { CambHttpError } from '../errors/camb-http-error.js';
import { CambSchemaError } from '../errors/camb-schema-error.js';
import { CambTransportError } from '../errors/camb-transport-error.js';
import type { ResolvedCambOptions } from '../connection/connection-options.js';
import { parseRetryAfter } from '../timing/retry-after.js';
import type { FetchInit, FetchResponse } from './fetch-like.js';
import { loadFetch } from './load-fetch.js';
import { BodyTooLargeError, excerpt, readBody } from './read-body.js';

/** One request to the CAMB API, relative to `baseUrl`. */
export interface CambRequest {
  method: 'GET' | 'POST';
  /** Path below `baseUrl`, its segments already encoded, e.g. `transcribe/abc`. */
  path: string;
  query?: Record<string, string>;
  /** A JSON string (sent as application/json) or multipart form data. */
  body?: string | FormData;
}

/** Error bodies are only read for a message: a small cap is enough. */
const ERROR_BODY_CAP = 16_384;

/**
 * One request, as a cold observable of its validated body: one `AbortController` per
 * subscription, aborted on unsubscribe and after `requestTimeoutMs`, which starts when the request
 * does (after any wait for the connection's request budget). Not retried here.
 *
 * @returns emits the parsed body once and completes, or fails with `CambHttpError`,
 *   `CambTransportError` or `CambSchemaError`
 */
export function sendRequest$<T>(request: CambRequest, schema: z.ZodMiniType<T>, connection: ResolvedCambOptions): Observable<T> {
  const url = new URL(`${connection.baseUrl}/${request.path}`);
  for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
  const href = url.href;
  const headers: Record<string, string> = { 'x-api-key': connection.apiKey, accept: 'application/json' };
  if (typeof request.body === 'string') headers['content-type'] = 'application/json';
  // `x-api-key` is no credential header that fetch strips on a cross-origin redirect: never follow one.
  const init = { method: request.method, headers, redirect: 'manual' as const, ...(request.body !== undefined && { body: request.body }) };

  const request$ = new Observable<T>((subscriber) => {
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
        subscriber.next(value);
        subscriber.complete();
      },
      (error: unknown) => {
        settled = true;
        if (controller.signal.reason === timedOut) {
          const detail = `no complete response within ${connection.requestTimeoutMs} ms`;
          subscriber.error(new CambTransportError({ failure: 'timeout', method: init.method, url: href, detail }, { cause: error }));
        } else subscriber.error(error);
      },
    );

    return () => {
      timeout?.unsubscribe();
      if (!settled) controller.abort(); // only a request still in flight: aborting costs a DOMException and an event
    };
  });
  return connection.budget ? connection.budget.run(request$) : request$;
}

/** Sends the request and reads, parses and validates the answer. */
async function exchange<T>(url: string, init: FetchInit, schema: z.ZodMiniType<T>, connection: ResolvedCambOptions): Promise<T> {
  const fetch = connection.fetch ?? (await loadFetch());
  let response: FetchResponse;
  let text: string;
  try {
    response = await fetch(url, init);
    if (response.status < 200 || response.status > 299) throw await httpError(response, init.method, url);
    text = await readBody(response, connection.maxBodyBytes);
  } catch (error) {
    if (error instanceof CambHttpError) throw error;
    if (error instanceof BodyTooLargeError) {
      throw new CambSchemaError({ url, problem: `${error.message} (maxBodyBytes)`, bodyExcerpt: '' });
    }
    const detail = describeNetworkError(error);
    throw new CambTransportError({ failure: 'network', method: init.method, url, detail, systemCode: systemCodeOf(error) }, { cause: error });
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CambSchemaError({ url, problem: 'body is not JSON', bodyExcerpt: excerpt(text) });
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map(({ path, message }) => ({ path, message }));
  const problem = issues.map((issue) => `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`).join('; ');
  throw new CambSchemaError({ url, problem, bodyExcerpt: excerpt(text), issues });
}

/** A `CambHttpError` from an error response, with the start of its body and its `Retry-After`. */
async function httpError(response: FetchResponse, method: string, url: string): Promise<CambHttpError> {
  const body = await readBody(response, ERROR_BODY_CAP).catch(() => '');
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
  return new CambHttpError({
    status: response.status,
    method,
    url,
    ...(body && { bodyExcerpt: excerpt(body) }),
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
