/** A mistake on the command line: reported on stderr with exit status 2, before anything is sent. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The library's option names, as the command line spells them. */
const flagOf: Readonly<Record<string, string>> = {
  apiKey: '--api-key',
  baseUrl: '--base-url (or CAMB_BASE_URL)',
  interval: '--interval',
  timeoutMs: '--timeout',
  kind: '--kind',
  maxRequestsPerSecond: '--max-rps',
  maxConcurrentRequests: '--max-concurrent',
};

/**
 * Words a camb-rx `TypeError` about an option in the command line's terms:
 * "option `baseUrl` must be …" → "--base-url (or CAMB_BASE_URL) must be …", and
 * "set allowInsecureHttp: true" → "pass --allow-insecure-http".
 *
 * @param message - the library's message
 * @returns the message for the command line
 */
export function inCommandLineTerms(message: string): string {
  return message
    .replace(/^camb-rx: /, '')
    .replace(/option `([\w.]+)`/g, (phrase, name: string) => flagOf[name] ?? phrase)
    .replace(/set allowInsecureHttp: true/g, 'pass --allow-insecure-http');
}

/**
 * Calls a camb-rx function whose options came from the command line: the `TypeError` it throws
 * at call time for a bad option (a base URL, an interval) is the user's mistake, a {@link UsageError}
 * in the command line's words.
 *
 * @param call - the call
 * @returns what it returns
 * @throws UsageError in place of a TypeError
 */
export function withUsageErrors<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(inCommandLineTerms(error.message));
    throw error;
  }
}
