import type { Fault } from './fault.js';
import { mulberry32 } from './mulberry32.js';
import { matchesPath, type PathMatcher } from './path-matcher.js';
import { describeValue, isRecord, refuseUnknownKeys, requireInteger, requireNumber } from './option-checks.js';
import { validateFault } from './validate-fault.js';

/**
 * Where `simulator.injectFault` applies its fault.
 *
 * @example
 * ```ts
 * import { startCambSimulator } from 'camb-rx/testing';
 * const simulator = await startCambSimulator();
 * simulator.injectFault({ type: 'http', status: 503 }, { path: /^\/apis\/transcribe\//, times: 2 });
 * ```
 */
export interface InjectFaultOptions {
  /**
   * The request paths it applies to (see {@link PathMatcher}).
   * @default every path
   */
  readonly path?: PathMatcher | undefined;
  /**
   * How many requests it applies to: a positive integer or `Infinity`.
   * @default 1
   */
  readonly times?: number | undefined;
}

/**
 * Faults drawn at random, reproducibly: each request with a valid key that got no task or
 * injected fault draws a number; below `rate`, one of `faults` (drawn too) is applied.
 * The sequence depends only on the seed and the order of the requests.
 *
 * @example
 * ```ts
 * import { startCambSimulator } from 'camb-rx/testing';
 * const simulator = await startCambSimulator({
 *   randomFaults: { rate: 0.2, seed: 42, faults: [{ type: 'http', status: 503 }, { type: 'reset-before-headers' }] },
 * });
 * ```
 */
export interface RandomFaultsOptions {
  /** The probability that a request is faulted, from 0 to 1. */
  readonly rate: number;
  /** The faults to draw from, with equal chance; non-empty. */
  readonly faults: readonly Fault[];
  /**
   * The PRNG seed.
   * @default 1
   */
  readonly seed?: number | undefined;
  /**
   * The request paths that may be faulted (see {@link PathMatcher}).
   * @default every path
   */
  readonly path?: PathMatcher | undefined;
}

interface QueuedFault {
  readonly fault: Fault;
  readonly path: PathMatcher | undefined;
  remaining: number;
}

/**
 * The injected one-shot queue and the random faults, consulted in that order after a task's own.
 *
 * @internal
 */
export class FaultSources {
  readonly #queue: QueuedFault[] = [];
  readonly #random:
    | { readonly rate: number; readonly faults: readonly Fault[]; readonly path: PathMatcher | undefined }
    | undefined;
  readonly #next: () => number;

  /**
   * @param randomFaults - the validated `randomFaults` option
   */
  constructor(randomFaults: RandomFaultsOptions | undefined) {
    this.#random = randomFaults && { rate: randomFaults.rate, faults: randomFaults.faults, path: randomFaults.path };
    this.#next = mulberry32(randomFaults?.seed ?? 1);
  }

  /**
   * Queues a fault (already validated).
   *
   * @param fault - the fault
   * @param options - the validated path and times
   */
  inject(fault: Fault, options: { readonly path: PathMatcher | undefined; readonly times: number }): void {
    this.#queue.push({ fault, path: options.path, remaining: options.times });
  }

  /**
   * Takes the fault for a request: the first queued one matching its path, else a random one.
   *
   * @param path - the request path, without the query
   * @returns the fault, or undefined for a normal answer
   */
  take(path: string): Fault | undefined {
    const index = this.#queue.findIndex((queued) => matchesPath(queued.path, path));
    const queued = this.#queue[index];
    if (queued) {
      queued.remaining -= 1;
      if (queued.remaining <= 0) this.#queue.splice(index, 1);
      return queued.fault;
    }
    const random = this.#random;
    if (!random || !matchesPath(random.path, path) || this.#next() >= random.rate) return undefined;
    return random.faults[Math.floor(this.#next() * random.faults.length)];
  }
}

/**
 * Validates the `injectFault` options and applies their defaults.
 *
 * @internal
 * @param value - the options as given
 * @returns the path (or undefined) and times
 * @throws TypeError on a bad value
 */
export function validateInjectOptions(value: unknown): { readonly path: PathMatcher | undefined; readonly times: number } {
  if (value === undefined) return { path: undefined, times: 1 };
  if (!isRecord(value)) throw new TypeError(`injectFault options must be an object, got ${describeValue(value)}`);
  refuseUnknownKeys(value, 'injectFault options', ['path', 'times']);
  const times = value['times'] ?? 1;
  if (times !== Number.POSITIVE_INFINITY) requireInteger(times, 'injectFault options.times', 1);
  return { path: validatePath(value['path'], 'injectFault options.path'), times: times as number };
}

/**
 * Validates the `randomFaults` option.
 *
 * @internal
 * @param value - the option as given
 * @returns the option, typed, or undefined when absent
 * @throws TypeError on a bad value
 */
export function validateRandomFaults(value: unknown): RandomFaultsOptions | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw new TypeError(`randomFaults must be an object, got ${describeValue(value)}`);
  refuseUnknownKeys(value, 'randomFaults', ['rate', 'faults', 'seed', 'path']);
  const rate = requireNumber(value['rate'], 'randomFaults.rate');
  if (rate > 1) throw new TypeError(`randomFaults.rate must be from 0 to 1, got ${rate}`);
  const faults = value['faults'];
  if (!Array.isArray(faults) || faults.length === 0) {
    throw new TypeError(`randomFaults.faults must be a non-empty array of faults, got ${describeValue(faults)}`);
  }
  const seed = value['seed'];
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed))) {
    throw new TypeError(`randomFaults.seed must be a finite number, got ${describeValue(seed)}`);
  }
  const path = validatePath(value['path'], 'randomFaults.path');
  return {
    rate,
    faults: faults.map((fault: unknown, i) => validateFault(fault, `randomFaults.faults[${i}]`)),
    ...(seed === undefined ? {} : { seed }),
    ...(path === undefined ? {} : { path }),
  };
}

function validatePath(value: unknown, name: string): PathMatcher | undefined {
  if (value === undefined || typeof value === 'string' || value instanceof RegExp) return value;
  throw new TypeError(`${name} must be a string or a RegExp, got ${describeValue(value)}`);
}
