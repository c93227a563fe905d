import { afterEach } from 'vitest';
import { startCambSimulator, type CambSimulator, type CambSimulatorOptions } from '../../src/testing/index.js';

/**
 * Registers an `afterEach` that closes every simulator started through the returned function.
 *
 * @returns `start(options?)`, which starts a simulator that is closed after the test
 */
export function useSimulators(): (options?: CambSimulatorOptions) => Promise<CambSimulator> {
  const started: CambSimulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((simulator) => simulator.close()));
  });
  return async (options) => {
    const simulator = await startCambSimulator(options);
    started.push(simulator);
    return simulator;
  };
}

/**
 * Fetches a simulator path (relative to its `/apis` base URL) with its API key.
 *
 * @param simulator - the simulator
 * @param path - e.g. `/transcribe/abc`
 * @param init - fetch options; its headers are added to the key
 * @returns the response
 */
export function simFetch(simulator: CambSimulator, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('x-api-key')) headers.set('x-api-key', simulator.apiKey);
  return fetch(`${simulator.url}${path}`, { ...init, headers });
}

/**
 * Reads a status several times in a row.
 *
 * @param simulator - the simulator
 * @param path - the status path, e.g. `/transcribe/abc`
 * @param count - how many reads (bounded by the caller)
 * @returns the `status` of each read
 */
export async function readStatuses(simulator: CambSimulator, path: string, count: number): Promise<string[]> {
  const statuses: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const res = await simFetch(simulator, path);
    const body = (await res.json()) as { status: string };
    statuses.push(body.status);
  }
  return statuses;
}
