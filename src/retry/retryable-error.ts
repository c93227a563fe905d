import { isCambHttpError, isCambTransportError } from '../errors/guards.js';

/** How each runtime words a fetch that got no response (Node, cross-fetch/node-fetch, browsers). */
const networkFailureMessage =
  /^(fetch failed|failed to fetch|load failed|network ?error|network request failed|request to .* failed|networkerror when attempting to fetch resource\.?|terminated|socket hang up)/i;

/**
 * The retry classification of camb-rx's own request errors: `CambTransportError` and HTTP 408, 429
 * and 5xx. The connection's default `retryOn`: its requests only ever fail with camb-rx's errors (a
 * fetch's rejection becomes a `CambTransportError`), so {@link isRetryableError}'s reading of
 * foreign errors' wording would never apply there, and stays out of the bundles of the streams.
 *
 * @param error - anything caught
 * @returns true when trying the request again may succeed
 * @internal
 */
export function isRetryableCambError(error: unknown): boolean {
  if (isCambTransportError(error)) return true;
  return isCambHttpError(error) && (error.status === 408 || error.status === 429 || error.status >= 500);
}

/**
 * The default retry classification: `CambTransportError`, HTTP 408, 429 and 5xx, and a foreign
 * fetch's network failure (by its wording in Node, cross-fetch and browsers). Everything else —
 * other 4xx, `CambSchemaError`, your own errors — fails fast.
 *
 * @param error - anything caught
 * @returns true when trying again may succeed
 * @example
 * ```ts
 * import { isRetryableError, retryTransport } from 'camb-rx';
 * retryTransport({ retryOn: (e) => isRetryableError(e) || e instanceof MyFlakyError });
 * ```
 */
export function isRetryableError(error: unknown): boolean {
  if (isCambTransportError(error) || isCambHttpError(error)) return isRetryableCambError(error);
  return error instanceof Error && error.name !== 'AbortError' && networkFailureMessage.test(error.message);
}
