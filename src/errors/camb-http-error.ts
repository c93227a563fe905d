import { CambError } from './camb-error.js';
import { CambErrorCodes } from './error-codes.js';

/**
 * What the server answered when it answered with an error status.
 *
 * @example
 * ```ts
 * import { CambHttpError, type CambHttpErrorDetails } from 'camb-rx';
 * const busy: CambHttpErrorDetails = { status: 429, method: 'GET', url: 'https://client.camb.ai/apis/transcribe/abc', retryAfterMs: 2000 };
 * const stubError = new CambHttpError(busy); // e.g. for a test's stub stream
 * ```
 */
export interface CambHttpErrorDetails {
  /** HTTP status, e.g. 404 or 429. */
  status: number;
  /** HTTP method of the request. */
  method: string;
  /** The request URL (never holds the key: it travels in a header). */
  url: string;
  /** The start of the response body, at most a few hundred characters. */
  bodyExcerpt?: string;
  /** The server's `Retry-After`, in milliseconds from when the response arrived. */
  retryAfterMs?: number;
}

/** What follows the status in the message: what a 304 or a redirect means, or the body's start. */
const describe = ({ status, bodyExcerpt }: CambHttpErrorDetails): string =>
  status === 304
    ? ': Not Modified, an answer to a conditional request, which camb-rx never sends (a cache or proxy on the way?)'
    : (status >= 300 && status < 400) || status === 0
      ? ': a redirect, which camb-rx does not follow so that the API key never reaches another host; check baseUrl'
      : bodyExcerpt
        ? `: ${bodyExcerpt}`
        : '';

/**
 * The server answered with a non-2xx status. 401, 403, 404 and 422 fail at once; 408, 429 and
 * 5xx are retried first (see `retryTransport`).
 *
 * @example
 * ```ts
 * import { isCambHttpError } from 'camb-rx';
 * if (isCambHttpError(error) && error.status === 404) console.log('no such task');
 * ```
 */
export class CambHttpError extends CambError {
  /** Always `'CAMB_HTTP_ERROR'` ({@link CambErrorCodes}.http). */
  readonly code = CambErrorCodes.http;
  /** Always `'CambHttpError'`; the guards check it. */
  override readonly name = 'CambHttpError';
  /** The HTTP status CAMB answered, e.g. 404 or 429; a 3xx other than 304 (or 0, in browsers) is a redirect, never followed. */
  declare readonly status: number;
  /** The request's HTTP method, e.g. `'GET'`; empty when made from a `Response` value, which does not carry it. */
  declare readonly method: string;
  /** The request URL; it never holds the key, which travels in a header. */
  declare readonly url: string;
  /** The start of the response body, at most a few hundred characters; absent when the body was empty. */
  declare readonly bodyExcerpt?: string;
  /** The server's `Retry-After`, in ms from when the response arrived; absent when not sent or unreadable. */
  declare readonly retryAfterMs?: number;

  /**
   * @param details - what the server answered
   * @param message - overrides the default message
   * @param options - `cause`: the underlying error, if any
   */
  constructor(details: CambHttpErrorDetails, message?: string, options?: { cause?: unknown }) {
    super(message ?? `CAMB answered ${details.status} to ${details.method} ${details.url}${describe(details)}`, options);
    this.status = details.status;
    this.method = details.method;
    this.url = details.url;
    if (details.bodyExcerpt !== undefined) this.bodyExcerpt = details.bodyExcerpt;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}
