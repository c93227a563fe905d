import { isCambHttpError, isCambTransportError } from '../errors/guards.js';

/** How each runtime words a fetch that got no response (Node, cross-fetch/node-fetch, browsers). */
const networkFailureMessage =
  /^(fetch failed|failed to fetch|load failed|network ?error|network request failed|request to .* failed|networkerror when attempting to fetch resource\.?|terminated|socket hang up)/i;

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
  if (isCambTransportError(error)) return true;
  if (isCambHttpError(error)) return error.status === 408 || error.status === 429 || error.status >= 500;
  return error instanceof Error && error.name !== 'AbortError' && networkFailureMessage.test(error.message);
}
