/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

/** Secrets shorter than this are left alone: they would mangle ordinary text, and guard nothing. */
const MIN_SECRET_LENGTH = 4;

/** How deep nested causes are followed. */
const MAX_CAUSE_DEPTH = 5;

/**
 * Takes secrets out of anything that may end up in an error, an event or a log line. Built once
 * per connection from its secrets (the API key), and applied where text from outside (a response
 * body, a runtime's error) enters camb-rx's own errors and values.
 *
 * @internal
 */
export interface Redactor {
  /**
   * @param text - any text
   * @returns the text with every secret, as written, percent-encoded, JSON- or HTML-escaped, replaced
   *   with `[redacted]`
   */
  text(text: string): string;
  /**
   * For text that was cut short (a body read up to a cap): also drops a trailing start of a secret
   * (of 4 characters or more: a shorter one would eat ordinary words and reveals next to nothing).
   *
   * @param text - the start of a longer text
   * @returns the text redacted, without a partial secret at its end
   */
  cutText(text: string): string;
  /**
   * @param value - a parsed JSON value
   * @returns the value with every string and property name redacted: the same value when none
   *   held a secret
   */
  value<T>(value: T): T;
  /**
   * @param error - anything thrown
   * @returns the error itself when no secret shows in its message, stack, own fields or causes;
   *   otherwise a redacted copy of the same class
   */
  error(error: unknown): unknown;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The ways a server may echo a secret: as written, percent-encoded, inside a JSON string, in HTML. */
function spellingsOf(secret: string): string[] {
  return [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), escapeHtml(secret)];
}

/**
 * Builds the {@link Redactor} for a set of secrets.
 *
 * @param secrets - the strings to keep out of every error; those shorter than 4 characters are ignored
 * @returns the redactor
 * @internal
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const spellings = [...new Set(secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH).flatMap(spellingsOf))].sort(
    (a, b) => b.length - a.length,
  );
  const pattern = spellings.length > 0 ? new RegExp(spellings.map(escapeRegExp).join('|'), 'g') : /$^/g; // the latter never matches
  const text = (value: string): string => {
    pattern.lastIndex = 0;
    return pattern.test(value) ? value.replace(pattern, REDACTED) : value;
  };
  const shows = (value: unknown): boolean => typeof value === 'string' && text(value) !== value;

  const value = <T>(input: T): T => {
    if (typeof input === 'string') return text(input) as T;
    if (Array.isArray(input)) {
      const items = input.map(value);
      return items.some((item, i) => item !== input[i]) ? (items as T) : input;
    }
    const isPlainObject = typeof input === 'object' && input !== null && [Object.prototype, null].includes(Object.getPrototypeOf(input) as object | null);
    if (!isPlainObject) return input;
    const entries = Object.entries(input);
    const redacted = entries.map(([key, item]) => [text(key), value(item)] as const);
    return redacted.some(([key, item], i) => key !== entries[i]?.[0] || item !== entries[i]?.[1]) ? (Object.fromEntries(redacted) as T) : input;
  };

  const errorShows = (error: unknown, depth: number): boolean => {
    if (!(error instanceof Error)) return shows(error);
    if (shows(error.message) || shows(error.stack) || Object.values(error).some(shows)) return true;
    return depth < MAX_CAUSE_DEPTH && error.cause !== undefined && errorShows(error.cause, depth + 1);
  };

  const copyOf = (error: unknown, depth: number): unknown => {
    if (!(error instanceof Error)) return typeof error === 'string' ? text(error) : error;
    const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
    const fields = copy as unknown as Record<string, unknown>;
    for (const [key, field] of Object.entries(error)) fields[key] = typeof field === 'string' ? text(field) : field;
    const hidden = (name: string, field: unknown) =>
      Object.defineProperty(copy, name, { value: field, writable: true, configurable: true, enumerable: false });
    hidden('message', text(error.message));
    if (error.stack !== undefined) hidden('stack', text(error.stack));
    if (error.cause !== undefined) hidden('cause', depth < MAX_CAUSE_DEPTH ? copyOf(error.cause, depth + 1) : REDACTED);
    return copy;
  };

  return {
    text,
    cutText: (cut) => {
      const whole = text(cut);
      const partial = (spelling: string): number => {
        for (let length = Math.min(spelling.length - 1, whole.length); length >= MIN_SECRET_LENGTH; length--) {
          if (whole.endsWith(spelling.slice(0, length))) return length;
        }
        return 0;
      };
      return whole.slice(0, whole.length - Math.max(...spellings.map(partial)));
    },
    value,
    error: (error) => (errorShows(error, 0) ? copyOf(error, 0) : error),
  };
}
