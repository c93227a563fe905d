import type { FetchInit, FetchLike } from '../../src/index.js';

/** How the stub answers one status read of a task: a body, or a Response (e.g. an error). */
export type Answer = (taskId: string, read: number) => unknown | Response;

/**
 * An in-process CAMB stand-in for fake-time tests: answers `GET …/{kind}/{taskId}` by calling
 * `answer(taskId, readNumber)` after `latencyMs` (a fake timer; 0 answers in a microtask, with no
 * timer), and tracks requests in flight.
 */
export function lifecycleFetch(answer: Answer, latencyMs = 0) {
  const reads = new Map<string, number>();
  const log: { taskId: string; at: number; signal: AbortSignal }[] = [];
  const stats = { inFlight: 0, maxInFlight: 0 };
  const fetch: FetchLike = (url: string, init: FetchInit) => {
    const taskId = decodeURIComponent(url.slice(url.lastIndexOf('/') + 1));
    const read = (reads.get(taskId) ?? 0) + 1;
    reads.set(taskId, read);
    log.push({ taskId, at: Date.now(), signal: init.signal });
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    return new Promise<Response>((resolve, reject) => {
      const done = () => {
        stats.inFlight--;
        init.signal.removeEventListener('abort', onAbort);
      };
      let settled = false;
      const respond = () => {
        if (settled) return;
        settled = true;
        done();
        const body = answer(taskId, read);
        resolve(body instanceof Response ? body : Response.json(body));
      };
      const timer = latencyMs > 0 ? setTimeout(respond, latencyMs) : (queueMicrotask(respond), undefined);
      const onAbort = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        done();
        reject(init.signal.reason);
      };
      init.signal.addEventListener('abort', onAbort, { once: true });
    });
  };
  return { fetch, log, stats, reads };
}

/** PENDING for `pendingReads` reads, then SUCCESS with a run id. */
export const pendingThenSuccess =
  (pendingReads: (taskId: string) => number): Answer =>
  (taskId, read) =>
    read > pendingReads(taskId) ? { status: 'SUCCESS', run_id: read } : { status: 'PENDING' };
