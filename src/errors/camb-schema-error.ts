import { CambError } from './camb-error.js';
import { CambErrorCodes } from './error-codes.js';

/** One way the body broke the contract, as zod reports it. */
export interface SchemaIssue {
  path: readonly PropertyKey[];
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
  readonly code = CambErrorCodes.schema;
  override readonly name = 'CambSchemaError';
  readonly url: string;
  /** The start of the body, at most a few hundred characters. */
  readonly bodyExcerpt: string;
  /** What was wrong with it; empty when the body was not JSON at all. */
  readonly issues: readonly SchemaIssue[];

  /**
   * @param details - the request URL, what was wrong and the body's start
   */
  constructor(details: { url: string; problem: string; bodyExcerpt: string; issues?: readonly SchemaIssue[] }, options?: { cause?: unknown }) {
    super(`Unexpected response from ${details.url}: ${details.problem}`, options);
    this.url = details.url;
    this.bodyExcerpt = details.bodyExcerpt;
    this.issues = details.issues ?? [];
  }
}
