import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import type { CambSimulator } from './camb-simulator.js';
import type { Exchange } from './exchange.js';
import { FaultSources } from './fault-sources.js';
import { createRequestHandler } from './handle-request.js';
import { RequestLog } from './request-log.js';
import { RequestStats } from './request-stats.js';
import { RunningSimulator } from './running-simulator.js';
import { resolveSimulatorOptions, simulatorHost, type CambSimulatorOptions } from './simulator-options.js';
import { TaskRegistry } from './task-registry.js';

/**
 * Starts a CAMB simulator: a real `node:http` server on `127.0.0.1` that behaves like CAMB.AI's
 * API under `/apis` (task status for every kind, `POST /transcribe`, transcription results),
 * checks `x-api-key`, sends CORS headers, and can misbehave on demand. Close it when done.
 *
 * @param options - the key, tasks, lifecycles and faults; all optional
 * @returns a promise of the running simulator
 * @throws TypeError at call time for bad options (the promise rejects only when listening fails)
 * @example
 * ```ts
 * import { startCambSimulator } from 'camb-rx/testing';
 * const simulator = await startCambSimulator({ tasks: [{ id: 'task-1', pendingPolls: 2 }] });
 * // point the code under test at simulator.url with simulator.apiKey, then:
 * console.log(simulator.task('task-1').polls); // 3 once it has seen SUCCESS
 * await simulator.close();
 * ```
 */
export function startCambSimulator(options?: CambSimulatorOptions): Promise<CambSimulator> {
  const resolved = resolveSimulatorOptions(options);
  const registry = new TaskRegistry();
  for (const task of resolved.tasks) registry.add(task);
  const parts = {
    apiKey: resolved.apiKey,
    latencyMs: resolved.latencyMs,
    createdTask: resolved.createdTask,
    registry,
    log: new RequestLog(),
    stats: new RequestStats(),
    faults: new FaultSources(resolved.randomFaults),
    exchanges: new Set<Exchange>(),
  };
  const server = createServer(createRequestHandler(parts));
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(resolved.port, simulatorHost, () => {
      server.off('error', onError);
      resolve(new RunningSimulator({ ...parts, server, sockets }));
    });
  });
}
