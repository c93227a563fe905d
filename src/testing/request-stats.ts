/**
 * Request counters of the simulator (preflight `OPTIONS` requests are not counted).
 *
 * @example
 * ```ts
 * import { startCambSimulator } from 'camb-rx/testing';
 * const simulator = await startCambSimulator();
 * // ... run the code under test, then:
 * console.log(simulator.stats.maxInFlight, simulator.stats.maxPerSecond);
 * ```
 */
export interface SimulatorStats {
  /** Requests received. */
  readonly total: number;
  /** Requests received and not yet ended (answered or closed). */
  readonly inFlight: number;
  /** The most requests in flight at once. */
  readonly maxInFlight: number;
  /** The most requests that arrived within any 1000 ms window. */
  readonly maxPerSecond: number;
}

/** The sliding window of `maxPerSecond`, in ms. */
const windowMs = 1000;

/**
 * Keeps the {@link SimulatorStats}.
 *
 * @internal
 */
export class RequestStats {
  #total = 0;
  #inFlight = 0;
  #maxInFlight = 0;
  #maxPerSecond = 0;
  /** Arrival times within the last window, oldest first. */
  #arrivals: number[] = [];

  /**
   * Counts an arriving request.
   *
   * @param now - its arrival time, ms on a monotonic clock
   */
  arrived(now: number): void {
    this.#total += 1;
    this.#inFlight += 1;
    this.#maxInFlight = Math.max(this.#maxInFlight, this.#inFlight);
    const firstInWindow = this.#arrivals.findIndex((at) => now - at < windowMs);
    this.#arrivals = firstInWindow === -1 ? [] : this.#arrivals.slice(firstInWindow);
    this.#arrivals.push(now);
    this.#maxPerSecond = Math.max(this.#maxPerSecond, this.#arrivals.length);
  }

  /** Counts a request that ended. */
  ended(): void {
    this.#inFlight -= 1;
  }

  /** Starts counting afresh; requests still in flight stay counted as in flight. */
  reset(): void {
    this.#total = 0;
    this.#maxInFlight = this.#inFlight;
    this.#maxPerSecond = 0;
    this.#arrivals = [];
  }

  /**
   * @returns a frozen copy of the counters
   */
  snapshot(): SimulatorStats {
    return Object.freeze({
      total: this.#total,
      inFlight: this.#inFlight,
      maxInFlight: this.#maxInFlight,
      maxPerSecond: this.#maxPerSecond,
    });
  }
}
