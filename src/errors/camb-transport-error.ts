import { CambError } from './camb-error.js';
import { CambErrorCodes } from './error-codes.js';

/** Why a request produced no response. */
export type TransportFailure = 'network' | 'timeout';

/**
 * The request got no usable response: connection refused or reset, DNS failure, a body cut
 * short, or no answer within `requestTimeoutMs`. The runtime's own error is kept as `cause`.
 * Retried by default.
 *
 * @example
 * ```ts
 * import { isCambTransportError } from 'camb-rx';
 * if (isCambTransportError(error)) console.warn(error.failure, error.cause);
 * ```
 */
export class CambTransportError extends CambError {
  readonly code = CambErrorCodes.transport;
  override readonly name = 'CambTransportError';
  readonly failure: TransportFailure;
  readonly method: string;
  readonly url: string;
  /** The system error code when the runtime gives one, e.g. `ECONNREFUSED`, `ECONNRESET`. */
  readonly systemCode?: string;

  /**
   * @param details - the failed request and how it failed
   * @param options - `cause`: the runtime's error
   */
  constructor(
    details: { failure: TransportFailure; method: string; url: string; detail: string; systemCode?: string | undefined },
    options?: { cause?: unknown },
  ) {
    super(`${details.failure === 'timeout' ? 'Request timed out' : 'Network error'} on ${details.method} ${details.url}: ${details.detail}`, options);
    this.failure = details.failure;
    this.method = details.method;
    this.url = details.url;
    if (details.systemCode !== undefined) this.systemCode = details.systemCode;
  }
}
