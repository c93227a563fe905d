import { CambError } from './camb-error.js';
import { CambErrorCodes } from './error-codes.js';

/** What the server answered when it answered with an error status. */
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

/** What follows the status in the message: a word on redirects, or the body's start. */
const describe = ({ status, bodyExcerpt }: CambHttpErrorDetails): string =>
  (status >= 300 && status < 400) || status === 0
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
  readonly code = CambErrorCodes.http;
  override readonly name = 'CambHttpError';
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly bodyExcerpt?: string;
  readonly retryAfterMs?: number;

  /**
   * @param details - what the server answered
   * @param message - overrides the default message
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
