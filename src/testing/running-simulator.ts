import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { CambSimulator } from './camb-simulator.js';
import type { Exchange } from './exchange.js';
import type { Fault } from './fault.js';
import { validateInjectOptions, type FaultSources, type InjectFaultOptions } from './fault-sources.js';
import type { RequestLogEntry } from './request-log-entry.js';
import type { RequestLog } from './request-log.js';
import type { RequestStats, SimulatorStats } from './request-stats.js';
import { apiPrefix } from './route.js';
import type { SimulatedTask, TaskSnapshot } from './simulated-task.js';
import { simulatorHost } from './simulator-options.js';
import type { TaskRegistry } from './task-registry.js';
import { validateFault } from './validate-fault.js';
import { validateTask } from './validate-task.js';

/** How long `waitForRequest` and `waitForClose` wait by default, ms. */
const defaultWaitMs = 5000;

/** The parts a running simulator is made of. */
export interface SimulatorParts {
  readonly server: Server;
  readonly sockets: ReadonlySet<Socket>;
  readonly exchanges: ReadonlySet<Exchange>;
  readonly registry: TaskRegistry;
  readonly log: RequestLog;
  readonly stats: RequestStats;
  readonly faults: FaultSources;
  readonly apiKey: string;
}

/**
 * The {@link CambSimulator} behind `startCambSimulator`, once its server listens.
 *
 * @internal
 */
export class RunningSimulator implements CambSimulator {
  readonly url: string;
  readonly port: number;
  readonly #parts: SimulatorParts;
  #closing: Promise<void> | undefined;

  /**
   * @param parts - the listening server and the simulator's state
   */
  constructor(parts: SimulatorParts) {
    this.#parts = parts;
    this.port = (parts.server.address() as AddressInfo).port;
    this.url = `http://${simulatorHost}:${this.port}${apiPrefix}`;
  }

  get apiKey(): string {
    return this.#parts.apiKey;
  }

  get requests(): readonly RequestLogEntry[] {
    return this.#parts.log.entries();
  }

  get stats(): SimulatorStats {
    return this.#parts.stats.snapshot();
  }

  get openConnections(): number {
    return this.#parts.sockets.size;
  }

  get tasks(): readonly TaskSnapshot[] {
    return this.#parts.registry.all().map((task) => task.snapshot());
  }

  addTask(task: SimulatedTask = {}): string {
    return this.#parts.registry.add(validateTask(task, 'task')).id;
  }

  task(id: string): TaskSnapshot {
    const task = this.#parts.registry.get(id);
    if (!task) throw new Error(`the CAMB simulator has no task with id ${JSON.stringify(id)}`);
    return task.snapshot();
  }

  injectFault(fault: Fault, options?: InjectFaultOptions): void {
    this.#parts.faults.inject(validateFault(fault, 'fault'), validateInjectOptions(options));
  }

  resetStats(): void {
    this.#parts.stats.reset();
  }

  waitForRequest(predicate: (entry: RequestLogEntry) => boolean = () => true, timeoutMs = defaultWaitMs): Promise<RequestLogEntry> {
    if (typeof predicate !== 'function') throw new TypeError('waitForRequest predicate must be a function');
    return this.#parts.log.waitFor(predicate, timeoutMs);
  }

  waitForClose(entry: RequestLogEntry, timeoutMs = defaultWaitMs): Promise<RequestLogEntry> {
    return this.#parts.log.waitForClose(entry, timeoutMs);
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async #shutDown(): Promise<void> {
    const { server, sockets, exchanges, log } = this.#parts;
    for (const exchange of [...exchanges]) exchange.abortForShutdown();
    log.close();
    const serverClosed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    const socketsClosed = [...sockets].map((socket) => {
      const closed = once(socket, 'close');
      socket.destroy();
      return closed;
    });
    await Promise.all([serverClosed, ...socketsClosed]);
    // The server's 'close' comes before libuv has run the listening handle's close callback,
    // which happens in the loop's closing phase; two check phases later it has surely run, so
    // that `process.getActiveResourcesInfo()` shows nothing of the simulator once this resolves.
    await nextCheckPhase();
    await nextCheckPhase();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Describes the simulator without its key. */
  toString(): string {
    return `CambSimulator(${this.url})`;
  }

  /** Serialises the simulator without its key. */
  toJSON(): { url: string; port: number } {
    return { url: this.url, port: this.port };
  }
}

function nextCheckPhase(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
