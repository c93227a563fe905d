import { CambHttpError } from '../errors/camb-http-error.js';
import { parseRetryAfter } from '../timing/retry-after.js';

/** The part of a fetch `Response` that tells a failed answer: any fetch's, cross-fetch's included. */
export interface ResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly url?: string;
  readonly headers: { get(name: string): string | null };
  readonly body?: { cancel(): Promise<void> } | null;
}

/** Tells a fetch `Response` value that is not ok (`fromFetch` emits these rather than failing). */
export function isFailedResponse(value: unknown): value is ResponseLike {
  if (typeof value !== 'object' || value === null) return false;
  const response = value as Partial<ResponseLike>;
  return response.ok === false && typeof response.status === 'number' && typeof response.headers?.get === 'function';
}

/**
 * A failed `Response` value as the {@link CambHttpError} it stands for — its status, URL and
 * `Retry-After` (no method: a `Response` does not carry it) — so that `retryOn` classifies it like
 * a failed request of camb-rx's own; it keeps the response, to be emitted as the value it was
 * whenever it is not retried.
 */
export class FailedResponseError extends CambHttpError {
  /** The failed response. */
  readonly response: ResponseLike;

  /**
   * @param response - a response that is not ok
   */
  constructor(response: ResponseLike) {
    const { status, url = '' } = response;
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
    super({ status, method: '', url, ...(retryAfterMs !== undefined && { retryAfterMs }) }, `${url || 'the request'} answered ${status}`);
    this.response = response;
  }
}
