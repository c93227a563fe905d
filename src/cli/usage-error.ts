/** A mistake on the command line: reported on stderr with exit status 2, before anything is sent. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Calls a camb-rx function whose options came from the command line: the `TypeError` it throws
 * at call time for a bad option (a base URL, an interval) is the user's mistake, a {@link UsageError}.
 *
 * @param call - the call
 * @returns what it returns
 * @throws UsageError in place of a TypeError
 */
export function withUsageErrors<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(error.message.replace(/^camb-rx: /, ''));
    throw error;
  }
}
