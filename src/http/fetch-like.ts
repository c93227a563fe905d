/**
 * What camb-rx passes to `fetch`: a subset of `RequestInit`.
 *
 * @example
 * ```ts
 * import { transcriptionStatus$, type FetchInit, type FetchLike } from 'camb-rx';
 * const traced: FetchLike = (url, init: FetchInit) => fetch(url, { ...init, headers: { ...init.headers, 'x-request-id': crypto.randomUUID() } });
 * transcriptionStatus$(taskId, { apiKey, fetch: traced });
 * ```
 */
export interface FetchInit {
  /** The HTTP method: `'GET'` or `'POST'`. */
  method: string;
  /** Lowercase header names: `x-api-key`, `accept`, and `content-type` with a JSON body. */
  headers: Record<string, string>;
  /** A JSON string or multipart `FormData`; absent on a GET. */
  body?: string | FormData;
  /** Aborted on unsubscribe and at `requestTimeoutMs`; the fetch must then reject. */
  signal: AbortSignal;
  /** Always `'manual'`: a redirect is never followed, so the key never reaches another origin. */
  redirect: 'manual';
}

/**
 * What camb-rx reads of a response: a subset of the standard `Response`.
 *
 * @example
 * ```ts
 * import type { FetchLike, FetchResponse } from 'camb-rx';
 * const ok = (json: unknown): FetchResponse => ({ status: 200, statusText: 'OK', headers: { get: () => null }, text: async () => JSON.stringify(json) });
 * const stubFetch: FetchLike = async () => ok({ status: 'SUCCESS', run_id: 1 });
 * ```
 */
export interface FetchResponse {
  /** The HTTP status: a 2xx is read as the answer, anything else becomes a `CambHttpError`. */
  readonly status: number;
  /** The status text, e.g. `'Not Found'`; camb-rx does not rely on it. */
  readonly statusText: string;
  /** The response headers; camb-rx reads only `retry-after`. */
  readonly headers: {
    /** The value of header `name` (camb-rx asks in lowercase), or null when absent. */
    get(name: string): string | null;
  };
  /** The body as a web or Node stream, read up to `maxBodyBytes`; when absent or null, `text()` is used. */
  readonly body?: ReadableStream<Uint8Array> | null;
  /**
   * Reads the whole body; used when `body` is absent.
   *
   * @returns the body as text
   */
  text(): Promise<string>;
}

/**
 * Any fetch-compatible function: the global `fetch`, cross-fetch, undici, or an adapter over your
 * own HTTP stack. It must reject when `init.signal` aborts.
 *
 * @example
 * ```ts
 * import { transcriptionStatus$, type FetchLike } from 'camb-rx';
 * const logged: FetchLike = (url, init) => (console.log(init.method, url), fetch(url, init));
 * transcriptionStatus$(id, { apiKey, fetch: logged });
 * ```
 */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;
