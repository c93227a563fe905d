import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import type { CambQueueOptions, RunWorkerOptions } from '../../src/bullmq/index.js';
import type { RequestLogEntry } from '../../src/testing/index.js';

/** The forked worker script; it imports the built `camb-rx/bullmq` (`npm test` builds first). */
const workerScript = fileURLToPath(new URL('./fixtures/worker-process.mjs', import.meta.url));

/** What a forked worker is told. */
export interface WorkerProcessConfig {
  readonly queue: CambQueueOptions;
  readonly worker: RunWorkerOptions;
  /** Kill itself (SIGKILL) right after adding a result job, before the poll job completes. */
  readonly crashAfterResultAdd?: boolean;
}

/** A forked worker process. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when the worker closed gracefully after SIGTERM. */
  readonly closed: Promise<void>;
}

/**
 * Registers an `afterEach` that kills (SIGKILL) every worker still running, and returns `start`,
 * which forks a worker and resolves once it is subscribed.
 */
export function useWorkerProcesses(): (config: WorkerProcessConfig) => Promise<WorkerProcess> {
  const running = new Set<ChildProcess>();
  afterEach(async () => {
    await Promise.all(
      [...running].map(async (child) => {
        if (child.exitCode === null && child.signalCode === null) {
          const exit = once(child, 'exit');
          child.kill('SIGKILL');
          await exit;
        }
      }),
    );
    running.clear();
  });
  return async (config) => {
    const child = fork(workerScript, [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    running.add(child);
    const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
    const messages = (type: string) =>
      new Promise<void>((resolve, reject) => {
        child.on('message', (message: { type?: string }) => message.type === type && resolve());
        void exited.then(() => reject(new Error(`worker ${child.pid} exited before '${type}'`)));
      });
    const ready = messages('ready');
    const closed = messages('closed');
    closed.catch(() => undefined);
    await ready;
    return { child, exited, closed };
  };
}

/**
 * Kills a worker with SIGKILL (`kill -9`) and waits for it to be gone.
 *
 * @returns `performance.now()` at the kill, on the clock of the simulator's request log
 */
export async function killHard(worker: WorkerProcess): Promise<number> {
  const killedAt = performance.now();
  worker.child.kill('SIGKILL');
  await worker.exited;
  return killedAt;
}

/** The server's log entries of the requests a worker process sent (its fetch tags them). */
export function sentBy(worker: WorkerProcess, entries: readonly RequestLogEntry[]): RequestLogEntry[] {
  return entries.filter((entry) => entry.headers['x-worker-pid'] === String(worker.child.pid));
}
