/**
 * Checks an id that goes into a URL path and percent-encodes it. Refused: empty, longer than 256
 * characters, `.` or `..`, slashes, backslashes, whitespace and control characters — so an id can
 * never reach another path.
 *
 * @param name - the argument's name, for the error
 * @param id - the id
 * @returns the encoded path segment
 * @throws TypeError for a bad id
 */
export function pathSegment(name: string, id: unknown): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 256 || id === '.' || id === '..' || /[/\\\s\p{Cc}]/u.test(id)) {
    const shown = typeof id === 'string' ? JSON.stringify(id.slice(0, 80)) : String(id);
    throw new TypeError(`camb-rx: ${name} must be 1–256 characters without slashes, whitespace or dot segments, got ${shown}`);
  }
  return encodeURIComponent(id);
}
