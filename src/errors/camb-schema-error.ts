import { CambError } from './camb-error.js';
import { CambErrorCodes } from './error-codes.js';

/**
 * One way the body broke the contract, as zod reports it.
 *
 * @example
 * ```ts
 * import { isCambSchemaError, type SchemaIssue } from 'camb-rx';
 * const show = ({ path, message }: SchemaIssue) => `${path.map(String).join('.') || '(body)'}: ${message}`;
 * if (isCambSchemaError(e)) console.error(e.issues.map(show).join('; '));
 * ```
 */
export interface SchemaIssue {
  /** Where in the body, e.g. `['status']`; empty for the body as a whole. */
  path: readonly PropertyKey[];
  /** What was wrong there, in zod's words. */
  message: string;
}

/**
 * A 2xx response whose body was not the contract: not JSON, an HTML page, a wrong type, a missing
 * `status`, or larger than the body cap. Never retried.
 *
 * @example
 * ```ts
 * import { isCambSchemaError } from 'camb-rx';
 * if (isCambSchemaError(error)) console.error(error.issues, error.bodyExcerpt);
 * ```
 */
export class CambSchemaError extends CambError {
  /** Always `'CAMB_SCHEMA_ERROR'` ({@link CambErrorCodes}.schema). */
  readonly code = CambErrorCodes.schema;
  /** Always `'CambSchemaError'`; the guards check it. */
  override readonly name = 'CambSchemaError';
  /** The request URL whose response broke the contract. */
  declare readonly url: string;
  /** The start of the body, at most a few hundred characters. */
  declare readonly bodyExcerpt: string;
  /** What was wrong with it; empty when the body was not JSON at all. */
  declare readonly issues: readonly SchemaIssue[];

  /**
   * @param details - the request URL, what was wrong and the body's start
   * @param options - `cause`: the underlying error, if any
   */
  constructor(details: { url: string; problem: string; bodyExcerpt: string; issues?: readonly SchemaIssue[] }, options?: { cause?: unknown }) {
    super(`Unexpected response from ${details.url}: ${details.problem}`, options);
    this.url = details.url;
    this.bodyExcerpt = details.bodyExcerpt;
    this.issues = details.issues ?? [];
  }
}
