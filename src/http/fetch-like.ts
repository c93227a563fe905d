/** What camb-rx passes to `fetch`: a subset of `RequestInit`. */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string | FormData;
  signal: AbortSignal;
  /** Always `'manual'`: a redirect is never followed, so the key never reaches another origin. */
  redirect: 'manual';
}

/** What camb-rx reads of a response: a subset of the standard `Response`. */
export interface FetchResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  readonly body?: ReadableStream<Uint8Array> | null;
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
