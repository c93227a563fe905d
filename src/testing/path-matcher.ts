/**
 * Which request paths a fault applies to: a string matches the exact path (without the query,
 * including the `/apis` prefix, e.g. `/apis/transcribe/abc`); a RegExp is tested against it.
 *
 * @example
 * ```ts
 * import type { PathMatcher } from 'camb-rx/testing';
 * const oneTask: PathMatcher = '/apis/transcribe/task-1';
 * const allResults: PathMatcher = /^\/apis\/transcription-results?\b/;
 * ```
 */
export type PathMatcher = string | RegExp;

/**
 * Tells whether a request path is matched.
 *
 * @internal
 * @param matcher - the matcher, or undefined for "every path"
 * @param path - the request path, without the query
 * @returns true when the fault applies
 */
export function matchesPath(matcher: PathMatcher | undefined, path: string): boolean {
  if (matcher === undefined) return true;
  if (typeof matcher === 'string') return matcher === path;
  matcher.lastIndex = 0;
  return matcher.test(path);
}
