import { CambError } from './camb-error.js';
import { CambErrorCodes } from './error-codes.js';

/**
 * Why a request produced no response: `'network'` (refused, reset, DNS, a body cut short) or
 * `'timeout'` (no complete response within `requestTimeoutMs`).
 *
 * @example
 * ```ts
 * import { isCambTransportError } from 'camb-rx';
 * if (isCambTransportError(e) && e.failure === 'timeout') console.warn('slow network: raise requestTimeoutMs?');
 * ```
 */
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
  /** Always `'CAMB_TRANSPORT_ERROR'` ({@link CambErrorCodes}.transport). */
  readonly code = CambErrorCodes.transport;
  /** Always `'CambTransportError'`; the guards check it. */
  override readonly name = 'CambTransportError';
  /** `'network'`: no response or a body cut short; `'timeout'`: nothing complete within `requestTimeoutMs`. */
  declare readonly failure: TransportFailure;
  /** The request's HTTP method, e.g. `'GET'`. */
  declare readonly method: string;
  /** The request URL; it never holds the key, which travels in a header. */
  declare readonly url: string;
  /** The system error code when the runtime gives one, e.g. `ECONNREFUSED`, `ECONNRESET`. */
  declare readonly systemCode?: string;

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
