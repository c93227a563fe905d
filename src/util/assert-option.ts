/** The longest delay a JavaScript timer can wait (about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Shows a bad value in an error message: strings quoted, numbers as written, anything else by
 * what it is (`an empty array`, `an array of 3`, `an object`, `a Map`, `a function`).
 */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) {
    const kind = Object.getPrototypeOf(value)?.constructor?.name;
    return typeof kind === 'string' && kind !== '' && kind !== 'Object' ? `a ${kind}` : 'an object';
  }
  return String(value);
}

/** Throws the `TypeError` every bad option gets: the option's name, what it must be, what it was. */
export function optionError(name: string, expected: string, value: unknown): TypeError {
  return new TypeError(`camb-rx: option \`${name}\` must be ${expected}, got ${describeValue(value)}`);
}

/**
 * Checks a duration in milliseconds: a finite number in `[min, MAX_TIMER_MS]`, or `Infinity`
 * where `allowInfinity` says so.
 */
export function assertMs(name: string, value: unknown, { min = 0, allowInfinity = false } = {}): number {
  if (typeof value === 'number' && ((value >= min && value <= MAX_TIMER_MS) || (allowInfinity && value === Infinity))) return value;
  const range = `a number of milliseconds from ${min} to ${MAX_TIMER_MS}${allowInfinity ? ' or Infinity' : ''}`;
  throw optionError(name, range, value);
}

/** Checks a whole number in `[min, max]`. */
export function assertInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (Number.isInteger(value) && (value as number) >= min && (value as number) <= max) return value as number;
  throw optionError(name, `a whole number from ${min} to ${max}`, value);
}

/** Checks a number in `[min, max]`. */
export function assertNumber(name: string, value: unknown, min: number, max: number): number {
  if (typeof value === 'number' && value >= min && value <= max) return value;
  throw optionError(name, `a number from ${min} to ${max}`, value);
}

/** Checks an optional point in time in epoch milliseconds: `undefined` or a finite number. */
export function assertOptionalEpochMs(name: string, value: unknown): number | undefined {
  if (value === undefined || (typeof value === 'number' && Number.isFinite(value))) return value;
  throw optionError(name, 'a time in epoch milliseconds', value);
}

/** Checks a function. */
export function assertFunction<F extends (...args: never[]) => unknown>(name: string, value: unknown): F {
  if (typeof value === 'function') return value as F;
  throw optionError(name, 'a function', value);
}

/**
 * Merges options over defaults the way ky does: an option set to `undefined` keeps the default.
 *
 * @example
 * ```ts
 * withDefaults({ a: 1, b: 2 }, { a: undefined, b: 3 }); // { a: 1, b: 3 }
 * ```
 */
export function withDefaults<D extends object>(defaults: D, options: { [K in keyof D]?: D[K] | undefined } | undefined): D {
  const merged = { ...defaults };
  for (const key of Object.keys(options ?? {}) as (keyof D)[]) {
    const value = options?.[key];
    if (value !== undefined) merged[key] = value as D[keyof D];
  }
  return merged;
}
