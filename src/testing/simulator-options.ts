import { validateRandomFaults, type RandomFaultsOptions } from './fault-sources.js';
import { describeValue, isRecord, refuseUnknownKeys, requireInteger, requireNumber } from './option-checks.js';
import type { CreatedTaskTemplate, SimulatedTask } from './simulated-task.js';
import { validateTask, type TaskDefinition } from './validate-task.js';

/** The only address the simulator binds to: it is a test double, never exposed to a network. */
export const simulatorHost = '127.0.0.1';

/**
 * Options of {@link startCambSimulator}.
 *
 * @example
 * ```ts
 * import { startCambSimulator } from 'camb-rx/testing';
 * const simulator = await startCambSimulator({
 *   apiKey: 'test-key',
 *   tasks: [{ id: 'task-1', pendingPolls: 3 }],
 *   createdTask: { pendingMs: 200 },
 *   latencyMs: 5,
 * });
 * ```
 */
export interface CambSimulatorOptions {
  /**
   * The key every request must send as `x-api-key`: visible ASCII, no spaces.
   * @default 'sim-key'
   */
  readonly apiKey?: string | undefined;
  /**
   * Tasks known from the start.
   * @default []
   */
  readonly tasks?: readonly SimulatedTask[] | undefined;
  /**
   * The lifecycle of the tasks that `POST /transcribe` creates.
   * @default { pendingPolls: 2 } (two PENDING reads, then SUCCESS)
   */
  readonly createdTask?: CreatedTaskTemplate | undefined;
  /**
   * Faults drawn at random, reproducibly (see {@link RandomFaultsOptions}).
   * @default none
   */
  readonly randomFaults?: RandomFaultsOptions | undefined;
  /**
   * The port; 0 picks a free one (read it from `simulator.port`).
   * @default 0
   */
  readonly port?: number | undefined;
  /**
   * The address to bind; only loopback `127.0.0.1` is allowed.
   * @default '127.0.0.1'
   */
  readonly host?: '127.0.0.1' | undefined;
  /**
   * A pause before every normal answer to a request with a valid key (and before the answer of
   * `delay` and `drip` faults), in ms; 401s, preflights and other faults are answered at once.
   * @default 0
   */
  readonly latencyMs?: number | undefined;
}

/** The options, checked, with defaults applied. */
export interface ResolvedSimulatorOptions {
  readonly apiKey: string;
  readonly tasks: readonly TaskDefinition[];
  readonly createdTask: TaskDefinition;
  readonly randomFaults: RandomFaultsOptions | undefined;
  readonly port: number;
  readonly latencyMs: number;
}

const optionKeys = ['apiKey', 'tasks', 'createdTask', 'randomFaults', 'port', 'host', 'latencyMs'];

/**
 * Checks the simulator options and applies their defaults; an explicit `undefined` never
 * overrides a default.
 *
 * @internal
 * @param options - the options as given
 * @returns the resolved options
 * @throws TypeError naming the bad option (never quoting the API key)
 */
export function resolveSimulatorOptions(options: unknown): ResolvedSimulatorOptions {
  if (options === undefined) options = {};
  if (!isRecord(options)) throw new TypeError(`startCambSimulator options must be an object, got ${describeValue(options)}`);
  refuseUnknownKeys(options, 'startCambSimulator options', optionKeys);
  const host = options['host'];
  if (host !== undefined && host !== simulatorHost) {
    throw new TypeError(`the CAMB simulator only binds to ${simulatorHost}, got host ${describeValue(host)}`);
  }
  const tasks = options['tasks'] ?? [];
  if (!Array.isArray(tasks)) throw new TypeError(`tasks must be an array of simulated tasks, got ${describeValue(tasks)}`);
  return {
    apiKey: resolveApiKey(options['apiKey']),
    tasks: tasks.map((task: unknown, i) => validateTask(task, `tasks[${i}]`)),
    createdTask: validateTask(options['createdTask'] ?? { pendingPolls: 2 }, 'createdTask', true),
    randomFaults: validateRandomFaults(options['randomFaults']),
    port: options['port'] === undefined ? 0 : requireInteger(options['port'], 'port', 0, 65_535),
    latencyMs: options['latencyMs'] === undefined ? 0 : requireNumber(options['latencyMs'], 'latencyMs'),
  };
}

function resolveApiKey(value: unknown): string {
  if (value === undefined) return 'sim-key';
  // The message describes the rule only: a key, even a bad one, is never quoted.
  if (typeof value !== 'string' || !/^[\x21-\x7e]+$/.test(value)) {
    throw new TypeError('apiKey must be a non-empty string of visible ASCII characters without spaces');
  }
  return value;
}
