/**
 * The kinds of trouble the CAMB simulator can put in place of a normal answer.
 *
 * @example
 * ```ts
 * import { FaultTypes, startCambSimulator } from 'camb-rx/testing';
 * const simulator = await startCambSimulator();
 * simulator.injectFault({ type: FaultTypes.resetBeforeHeaders });
 * ```
 */
export const FaultTypes = {
  /** {@link HttpFault}: an HTTP status with a JSON body. */
  http: 'http',
  /** {@link ResetBeforeHeadersFault}: the connection is destroyed before anything is written. */
  resetBeforeHeaders: 'reset-before-headers',
  /** {@link ResetMidBodyFault}: headers and half the body, then the connection is destroyed. */
  resetMidBody: 'reset-mid-body',
  /** {@link HangFault}: no answer at all. */
  hang: 'hang',
  /** {@link DripFault}: the normal answer, a few bytes at a time. */
  drip: 'drip',
  /** {@link DelayFault}: the normal answer, after a pause. */
  delay: 'delay',
  /** {@link MalformedJsonFault}: 200 with truncated JSON. */
  malformedJson: 'malformed-json',
  /** {@link HtmlErrorFault}: a proxy's HTML error page. */
  htmlError: 'html-error',
  /** {@link OversizeFault}: 200 with a chunked body of a set size. */
  oversize: 'oversize',
  /** {@link WrongContentTypeFault}: the valid body as `text/plain`. */
  wrongContentType: 'wrong-content-type',
  /** {@link BodyFault}: any raw body. */
  body: 'body',
} as const;

/**
 * One of the {@link FaultTypes}, the discriminant of {@link Fault}.
 *
 * @example
 * ```ts
 * import type { FaultType } from 'camb-rx/testing';
 * const type: FaultType = 'reset-mid-body';
 * ```
 */
export type FaultType = (typeof FaultTypes)[keyof typeof FaultTypes];

/**
 * Answers with an HTTP error (or any status) and a JSON body, e.g. 429 with `Retry-After`.
 *
 * @example
 * ```ts
 * import type { HttpFault } from 'camb-rx/testing';
 * const rateLimited: HttpFault = { type: 'http', status: 429, retryAfter: new Date(Date.now() + 2000) };
 * ```
 */
export interface HttpFault {
  /** Always `'http'`. */
  readonly type: 'http';
  /** The status code, 200 to 599. */
  readonly status: number;
  /**
   * The body, always sent JSON-serialised (use a `body` fault for raw text).
   * @default { detail: <the status text> }
   */
  readonly body?: unknown | undefined;
  /**
   * Extra response headers; they override the simulator's own.
   * @default {}
   */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Sets `Retry-After`: a number is sent as whole seconds, a `Date` as an HTTP date.
   * @default no Retry-After header
   */
  readonly retryAfter?: number | Date | undefined;
}

/**
 * Destroys the connection before anything is written: the client sees a network error.
 *
 * @example
 * ```ts
 * import type { ResetBeforeHeadersFault } from 'camb-rx/testing';
 * const reset: ResetBeforeHeadersFault = { type: 'reset-before-headers' };
 * ```
 */
export interface ResetBeforeHeadersFault {
  /** Always `'reset-before-headers'`. */
  readonly type: 'reset-before-headers';
}

/**
 * Writes 200 headers with the full `Content-Length` of the would-be answer and about half of its
 * bytes, then destroys the connection: the headers arrive, reading the body fails.
 *
 * @example
 * ```ts
 * import type { ResetMidBodyFault } from 'camb-rx/testing';
 * const cut: ResetMidBodyFault = { type: 'reset-mid-body' };
 * ```
 */
export interface ResetMidBodyFault {
  /** Always `'reset-mid-body'`. */
  readonly type: 'reset-mid-body';
}

/**
 * Never answers: the request stays open until the client goes away or the simulator closes.
 * Use it with an abort to prove cancellation (see `CambSimulator.waitForClose`).
 *
 * @example
 * ```ts
 * import type { HangFault } from 'camb-rx/testing';
 * const hang: HangFault = { type: 'hang' };
 * ```
 */
export interface HangFault {
  /** Always `'hang'`. */
  readonly type: 'hang';
}

/**
 * Sends the normal answer slowly, a few bytes at a time (with its `Content-Length`). Like a
 * normal answer, it moves the task's lifecycle on.
 *
 * @example
 * ```ts
 * import type { DripFault } from 'camb-rx/testing';
 * const slow: DripFault = { type: 'drip', bytesPerChunk: 4, chunkIntervalMs: 100 };
 * ```
 */
export interface DripFault {
  /** Always `'drip'`. */
  readonly type: 'drip';
  /**
   * Bytes written per chunk, an integer of at least 1.
   * @default 8
   */
  readonly bytesPerChunk?: number | undefined;
  /**
   * Pause between chunks, in ms.
   * @default 50
   */
  readonly chunkIntervalMs?: number | undefined;
}

/**
 * Sends the normal answer after a pause of `ms` (on top of the simulator's `latencyMs`). Like a
 * normal answer, it moves the task's lifecycle on, unless the client has gone before it is sent.
 *
 * @example
 * ```ts
 * import type { DelayFault } from 'camb-rx/testing';
 * const late: DelayFault = { type: 'delay', ms: 3000 };
 * ```
 */
export interface DelayFault {
  /** Always `'delay'`. */
  readonly type: 'delay';
  /** The pause in ms, a finite number of at least 0. */
  readonly ms: number;
}

/**
 * Answers 200 `application/json` with a truncated, unparseable JSON body.
 *
 * @example
 * ```ts
 * import type { MalformedJsonFault } from 'camb-rx/testing';
 * const broken: MalformedJsonFault = { type: 'malformed-json' };
 * ```
 */
export interface MalformedJsonFault {
  /** Always `'malformed-json'`. */
  readonly type: 'malformed-json';
}

/**
 * Answers with a proxy-style HTML error page (`text/html`), as a gateway would.
 *
 * @example
 * ```ts
 * import type { HtmlErrorFault } from 'camb-rx/testing';
 * const gatewayTimeout: HtmlErrorFault = { type: 'html-error', status: 504 };
 * ```
 */
export interface HtmlErrorFault {
  /** Always `'html-error'`. */
  readonly type: 'html-error';
  /**
   * The status code, 400 to 599.
   * @default 502
   */
  readonly status?: number | undefined;
}

/**
 * Answers 200 `application/json` with a JSON-ish body of exactly `bytes` bytes, sent chunked
 * (no `Content-Length`) so that a client must count the bytes itself to enforce a size cap.
 *
 * @example
 * ```ts
 * import type { OversizeFault } from 'camb-rx/testing';
 * const huge: OversizeFault = { type: 'oversize', bytes: 5 * 1024 * 1024 };
 * ```
 */
export interface OversizeFault {
  /** Always `'oversize'`. */
  readonly type: 'oversize';
  /** The body size in bytes, an integer of at least 0. */
  readonly bytes: number;
}

/**
 * Answers 200 with the would-be (valid) JSON body, but with `Content-Type: text/plain`. It does
 * not move the task's lifecycle on.
 *
 * @example
 * ```ts
 * import type { WrongContentTypeFault } from 'camb-rx/testing';
 * const plain: WrongContentTypeFault = { type: 'wrong-content-type' };
 * ```
 */
export interface WrongContentTypeFault {
  /** Always `'wrong-content-type'`. */
  readonly type: 'wrong-content-type';
}

/**
 * Answers with any raw body.
 *
 * @example
 * ```ts
 * import type { BodyFault } from 'camb-rx/testing';
 * const unknownShape: BodyFault = { type: 'body', body: '{"state": "done"}' };
 * ```
 */
export interface BodyFault {
  /** Always `'body'`. */
  readonly type: 'body';
  /**
   * The status code, 200 to 599.
   * @default 200
   */
  readonly status?: number | undefined;
  /** The body, sent as it is. */
  readonly body: string;
  /**
   * The `Content-Type` header.
   * @default 'application/json'
   */
  readonly contentType?: string | undefined;
}

/**
 * One misbehaviour, applied to one request in place of the normal answer; discriminated on `type`.
 *
 * @example
 * ```ts
 * import { startCambSimulator, type Fault } from 'camb-rx/testing';
 * const busy: Fault = { type: 'http', status: 429, retryAfter: 2 };
 * const simulator = await startCambSimulator();
 * simulator.injectFault(busy, { times: 3 });
 * ```
 */
export type Fault =
  | HttpFault
  | ResetBeforeHeadersFault
  | ResetMidBodyFault
  | HangFault
  | DripFault
  | DelayFault
  | MalformedJsonFault
  | HtmlErrorFault
  | OversizeFault
  | WrongContentTypeFault
  | BodyFault;

/**
 * Tells whether a fault still delivers the normal answer (only later or slower), so that a status
 * read answered through it counts as a read of the task.
 *
 * @internal
 * @param fault - the fault applied to a request
 * @returns true for `delay` and `drip`
 */
export function deliversNormalAnswer(fault: Fault): fault is DelayFault | DripFault {
  return fault.type === FaultTypes.delay || fault.type === FaultTypes.drip;
}
