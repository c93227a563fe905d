// Small argument checks shared by the simulator's option validation; each throws a `TypeError`
// whose message names the offending option.

/**
 * Tells whether a value is a plain object (not null, not an array).
 *
 * @internal
 * @param value - anything
 * @returns true for `{...}`-like values
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Describes a value for an error message without dumping large or secret data.
 *
 * @internal
 * @param value - anything
 * @returns a short description such as `"abc"`, `42`, `an array` or `an object`
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? 'a long string' : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * Requires an integer within bounds.
 *
 * @internal
 * @param value - the option value
 * @param name - the option path for the message, e.g. `fault.status`
 * @param min - the smallest allowed value
 * @param max - the largest allowed value
 * @returns the value, typed
 */
export function requireInteger(value: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${name} must be an integer from ${min} to ${max}, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Requires a finite number of at least `min`.
 *
 * @internal
 * @param value - the option value
 * @param name - the option path for the message
 * @param min - the smallest allowed value
 * @returns the value, typed
 */
export function requireNumber(value: unknown, name: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new TypeError(`${name} must be a finite number of at least ${min}, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Requires a string, optionally non-empty.
 *
 * @internal
 * @param value - the option value
 * @param name - the option path for the message
 * @param nonEmpty - whether the empty string is refused
 * @returns the value, typed
 */
export function requireString(value: unknown, name: string, nonEmpty = false): string {
  if (typeof value !== 'string' || (nonEmpty && value.length === 0)) {
    throw new TypeError(`${name} must be a ${nonEmpty ? 'non-empty ' : ''}string, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Refuses properties an options object does not know, to catch typos such as `pendingPoll`.
 *
 * @internal
 * @param value - the options object
 * @param name - its path for the message
 * @param known - the allowed property names
 */
export function refuseUnknownKeys(value: Record<string, unknown>, name: string, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(`${name} has an unknown property "${key}" (known: ${known.join(', ')})`);
    }
  }
}
