/**
 * The normal answer to a request, worked out but not yet sent; `commit` applies its side effects
 * (a status read, a created task) and is called only when the answer is really given.
 *
 * @internal
 */
export interface Answer {
  readonly status: number;
  /** Sent JSON-serialised. */
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly commit?: () => void;
}

/** Produces the normal answer at the moment it is to be sent. */
export type AnswerProducer = () => Answer;

/** One FastAPI-style validation issue, as in a 422 `detail` array. */
export interface ValidationIssue {
  readonly loc: readonly (string | number)[];
  readonly msg: string;
  readonly type: string;
}

/**
 * An error answer with CAMB's `{"detail": "..."}` body.
 *
 * @internal
 * @param status - the status code
 * @param detail - the message
 * @param headers - extra headers
 * @returns the answer
 */
export function errorAnswer(status: number, detail: string, headers?: Readonly<Record<string, string>>): Answer {
  return headers ? { status, body: { detail }, headers } : { status, body: { detail } };
}

/**
 * A 422 answer listing validation issues.
 *
 * @internal
 * @param issues - at least one issue
 * @returns the answer
 */
export function validationAnswer(issues: readonly ValidationIssue[]): Answer {
  return { status: 422, body: { detail: issues } };
}
