import type { TaskKind } from '../wire/task-kind.js';
import type { Fault } from './fault.js';

/**
 * What a request was understood as: `preflight` (OPTIONS), `status` (`GET /{kind}/{task_id}`),
 * `create` (`POST /transcribe`), `result` (`GET /transcription-result/{run_id}`), `results`
 * (`POST /transcription-results`), `not-found` or `method-not-allowed`.
 *
 * @example
 * ```ts
 * import { SimulatorRoutes, startCambSimulator } from 'camb-rx/testing';
 * const simulator = await startCambSimulator();
 * const polls = simulator.requests.filter((entry) => entry.route === SimulatorRoutes.status);
 * ```
 */
export const SimulatorRoutes = {
  /** `OPTIONS` on any path: a CORS preflight, answered 204 without a key. */
  preflight: 'preflight',
  /** `GET /{kind}/{task_id}`. */
  status: 'status',
  /** `POST /transcribe`. */
  create: 'create',
  /** `GET /transcription-result/{run_id}`. */
  result: 'result',
  /** `POST /transcription-results`. */
  results: 'results',
  /** Any path the simulator does not serve: 404 (401 without a valid key). */
  notFound: 'not-found',
  /** A served path with the wrong method: 405 (401 without a valid key). */
  methodNotAllowed: 'method-not-allowed',
} as const;

/**
 * One of the {@link SimulatorRoutes}.
 *
 * @example
 * ```ts
 * import type { SimulatorRoute } from 'camb-rx/testing';
 * const route: SimulatorRoute = 'create';
 * ```
 */
export type SimulatorRoute = (typeof SimulatorRoutes)[keyof typeof SimulatorRoutes];

/**
 * A file part of a multipart request, as logged: its bytes are hashed, and kept only when small.
 *
 * @example
 * ```ts
 * import { startCambSimulator, type LoggedFile } from 'camb-rx/testing';
 * const simulator = await startCambSimulator();
 * // ... the code under test uploads a file, then:
 * const file = simulator.requests.find((e) => e.route === 'create')?.form?.['media_file'] as LoggedFile;
 * console.log(file.fileName, file.size, file.sha256);
 * ```
 */
export interface LoggedFile {
  /** The part's file name. */
  readonly fileName: string;
  /** The part's content type (empty when not sent). */
  readonly type: string;
  /** The size in bytes. */
  readonly size: number;
  /** The SHA-256 of the bytes, lowercase hex. */
  readonly sha256: string;
  /** The bytes themselves, present only for files of at most 1024 bytes. */
  readonly bytes?: Uint8Array;
}

/**
 * A logged multipart field: a string, or a {@link LoggedFile}.
 *
 * @example
 * ```ts
 * import type { LoggedFormValue } from 'camb-rx/testing';
 * const language: LoggedFormValue = '1';
 * ```
 */
export type LoggedFormValue = string | LoggedFile;

/**
 * One request as the simulator saw it. Entries are live: `status`, `finishedAt`, `closedByClient`
 * and `form` are filled in as the request proceeds. The API key is never stored: the `x-api-key`
 * header is left out and the simulator's key is replaced by `[redacted]` wherever else it appears.
 *
 * @example
 * ```ts
 * import { startCambSimulator } from 'camb-rx/testing';
 * const simulator = await startCambSimulator();
 * const entry = await simulator.waitForRequest((e) => e.route === 'status');
 * console.log(entry.method, entry.path, entry.status, entry.closedByClient);
 * ```
 */
export interface RequestLogEntry {
  /** 1-based arrival order, over all requests including preflights. */
  readonly seq: number;
  /** The HTTP method, e.g. `'GET'`. */
  readonly method: string;
  /** The path as received, without the query, e.g. `/apis/transcribe/abc`. */
  readonly path: string;
  /** The query parameters (the last value of a repeated one). */
  readonly query: Readonly<Record<string, string>>;
  /** The request headers, lowercase names, without `x-api-key`. */
  readonly headers: Readonly<Record<string, string>>;
  /** Which endpoint the request was understood as. */
  readonly route: SimulatorRoute;
  /** The task kind, on status requests. */
  readonly kind?: TaskKind;
  /** The task id, on status requests and on successful creates (the new id). */
  readonly taskId?: string;
  /** The run id, on `GET /transcription-result/{run_id}` when it is an integer. */
  readonly runId?: number;
  /** Whether `x-api-key` held the simulator's key. */
  readonly hasValidKey: boolean;
  /** The fault applied in place of the normal answer, if any. */
  readonly fault?: Fault;
  /** The status code answered, once headers were written; absent for resets and hangs. */
  readonly status?: number;
  /** When the request arrived, `performance.now()` ms. */
  readonly startedAt: number;
  /** When the request ended (answered or closed), `performance.now()` ms. */
  readonly finishedAt?: number;
  /** True when the client closed the connection before the answer was complete. */
  readonly closedByClient: boolean;
  /** The parsed multipart fields of a create request (the last value of a repeated field). */
  readonly form?: Readonly<Record<string, LoggedFormValue>>;
}

/**
 * The simulator's own, writable view of an entry.
 *
 * @internal
 */
export type MutableLogEntry = { -readonly [K in keyof RequestLogEntry]: RequestLogEntry[K] };
