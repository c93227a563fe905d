import type { Fault } from './fault.js';
import type { InjectFaultOptions } from './fault-sources.js';
import type { RequestLogEntry } from './request-log-entry.js';
import type { SimulatorStats } from './request-stats.js';
import type { SimulatedTask, TaskSnapshot } from './simulated-task.js';

/**
 * A running CAMB simulator: a real HTTP server on `127.0.0.1` that behaves like CAMB.AI's API,
 * with scripted tasks, injectable faults and a request log to assert on.
 *
 * @example
 * ```ts
 * import { startCambSimulator } from 'camb-rx/testing';
 * const simulator = await startCambSimulator({ tasks: [{ id: 'task-1', pendingPolls: 1 }] });
 * try {
 *   const res = await fetch(`${simulator.url}/transcribe/task-1`, { headers: { 'x-api-key': simulator.apiKey } });
 *   console.log(await res.json()); // { status: 'PENDING', run_id: null, ... }
 * } finally {
 *   await simulator.close();
 * }
 * ```
 */
export interface CambSimulator {
  /** The base URL, `http://127.0.0.1:{port}/apis`: pass it as the client's `baseUrl`. */
  readonly url: string;
  /** The key requests must send as `x-api-key`. */
  readonly apiKey: string;
  /** The port the server listens on. */
  readonly port: number;
  /** A copy of the request log, oldest first; the entries are live (see {@link RequestLogEntry}). */
  readonly requests: readonly RequestLogEntry[];
  /** A snapshot of the request counters. */
  readonly stats: SimulatorStats;
  /** The number of sockets currently open to the server. */
  readonly openConnections: number;
  /** Snapshots of every task, in the order they were added (created tasks included). */
  readonly tasks: readonly TaskSnapshot[];

  /**
   * Adds a task.
   *
   * @param task - the task and its lifecycle
   * @returns the task id (the given one, or a generated UUID)
   * @throws TypeError for a bad task or an id or run id already taken
   * @example
   * ```ts
   * import { startCambSimulator } from 'camb-rx/testing';
   * const simulator = await startCambSimulator();
   * const id = simulator.addTask({ kind: 'dub', statuses: ['PENDING', 'RUNNING', 'SUCCESS'] });
   * ```
   */
  addTask(task?: SimulatedTask): string;

  /**
   * Reads a task's progress.
   *
   * @param id - the task id
   * @returns a frozen snapshot
   * @throws Error when the simulator has no such task
   * @example
   * ```ts
   * import { startCambSimulator } from 'camb-rx/testing';
   * const simulator = await startCambSimulator({ tasks: [{ id: 't' }] });
   * simulator.task('t').polls; // 0
   * ```
   */
  task(id: string): TaskSnapshot;

  /**
   * Queues a fault for the next request(s) with a valid key matching `options.path`. Faults are
   * taken from the task's own `faults` first, then from this queue (oldest first), then from
   * `randomFaults`.
   *
   * @param fault - the fault
   * @param options - which paths, how many times
   * @throws TypeError for a bad fault or options
   * @example
   * ```ts
   * import { startCambSimulator } from 'camb-rx/testing';
   * const simulator = await startCambSimulator();
   * simulator.injectFault({ type: 'http', status: 429, retryAfter: 1 }, { times: 2 });
   * ```
   */
  injectFault(fault: Fault, options?: InjectFaultOptions): void;

  /**
   * Starts the counters of {@link CambSimulator.stats} afresh (the request log is kept).
   *
   * @example
   * ```ts
   * import { startCambSimulator } from 'camb-rx/testing';
   * const simulator = await startCambSimulator();
   * simulator.resetStats();
   * ```
   */
  resetStats(): void;

  /**
   * Resolves with the first log entry matching `predicate`: an entry already logged counts, and
   * entries are re-checked as they change, so `(e) => e.status === 200` waits for the answer.
   *
   * @param predicate - the test; without one, every entry matches
   * @param timeoutMs - how long to wait before rejecting, in ms (default 5000)
   * @returns the entry
   * @example
   * ```ts
   * import { startCambSimulator } from 'camb-rx/testing';
   * const simulator = await startCambSimulator();
   * const poll = simulator.waitForRequest((e) => e.route === 'status' && e.taskId === 'task-1');
   * ```
   */
  waitForRequest(predicate?: (entry: RequestLogEntry) => boolean, timeoutMs?: number): Promise<RequestLogEntry>;

  /**
   * Resolves when the client closed the connection of a request before its answer was complete:
   * the proof that a cancellation reached the wire. Rejects when the request ended otherwise
   * (answered, or reset by a fault), on timeout, or when the simulator closes.
   *
   * @param entry - an entry of {@link CambSimulator.requests}
   * @param timeoutMs - how long to wait before rejecting, in ms (default 5000)
   * @returns the entry, with `closedByClient` true
   * @example
   * ```ts
   * import { startCambSimulator } from 'camb-rx/testing';
   * const simulator = await startCambSimulator();
   * simulator.injectFault({ type: 'hang' });
   * // ... start a request, then unsubscribe or abort ...
   * const entry = await simulator.waitForRequest();
   * await simulator.waitForClose(entry);
   * ```
   */
  waitForClose(entry: RequestLogEntry, timeoutMs?: number): Promise<RequestLogEntry>;

  /**
   * Stops the server: destroys every open socket (hanging requests included), clears every timer
   * it created, rejects pending waits, and resolves once the server is closed. Idempotent.
   *
   * @returns a promise of the shutdown
   * @example
   * ```ts
   * import { startCambSimulator } from 'camb-rx/testing';
   * const simulator = await startCambSimulator();
   * await simulator.close();
   * ```
   */
  close(): Promise<void>;

  /**
   * The same as {@link CambSimulator.close}, for `await using simulator = await startCambSimulator()`.
   *
   * @returns a promise of the shutdown
   */
  [Symbol.asyncDispose](): Promise<void>;
}
