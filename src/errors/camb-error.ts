import type { CambErrorCode } from './error-codes.js';

/**
 * The base of every error camb-rx reports. Its message, `toString()` and `toJSON()` never hold
 * the API key. Check it with {@link isCambError}, which also works across the ESM and CJS copies.
 *
 * @example
 * ```ts
 * import { isCambError } from 'camb-rx';
 * status$.subscribe({ error: (e) => isCambError(e) && console.error(e.code, e.message) });
 * ```
 */
export abstract class CambError extends Error {
  /** A stable machine-readable code, one of `CambErrorCodes`. */
  abstract readonly code: CambErrorCode;

  /**
   * @param message - the error's message, which never holds the API key
   * @param options - `cause`: the underlying error, if any
   */
  protected constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  /**
   * A plain, key-free object for logs: name, code, message and the subclass's own fields.
   *
   * @returns an object for `JSON.stringify`; `cause` is left out
   */
  toJSON(): Record<string, unknown> {
    const own: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this)) if (key !== 'cause') own[key] = value;
    return { name: this.name, code: this.code, message: this.message, ...own };
  }
}
