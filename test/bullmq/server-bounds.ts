import type { RequestLogEntry } from '../../src/testing/index.js';

/**
 * The most requests that arrived at the server within any closed interval of `windowMs`
 * (`[t, t + windowMs]`): a sliding window over the arrival times, by two pointers.
 */
export function maxInAnyWindow(entries: readonly RequestLogEntry[], windowMs = 1000): number {
  const arrivals = entries.map((entry) => entry.startedAt).sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < arrivals.length; last++) {
    while (arrivals[last]! - arrivals[first]! > windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/** The most requests the server was handling at once (from arrival until answered or closed). */
export function maxInFlight(entries: readonly RequestLogEntry[]): number {
  const events = entries.flatMap((entry) => [
    { at: entry.startedAt, delta: 1 },
    { at: entry.finishedAt ?? Infinity, delta: -1 },
  ]);
  events.sort((a, b) => a.at - b.at || a.delta - b.delta); // an end before a start at the same instant
  let current = 0;
  let most = 0;
  for (const { delta } of events) most = Math.max(most, (current += delta));
  return most;
}

/** Throws unless the server saw at most `maxRequestsPerSecond` in every sliding second and `maxConcurrent` at once. */
export function expectServerBudgetKept(entries: readonly RequestLogEntry[], maxRequestsPerSecond: number, maxConcurrent: number): void {
  const perSecond = maxInAnyWindow(entries);
  if (perSecond > maxRequestsPerSecond) throw new Error(`a sliding second at the server saw ${perSecond} requests, over the budget of ${maxRequestsPerSecond}`);
  const inFlight = maxInFlight(entries);
  if (inFlight > maxConcurrent) throw new Error(`the server had ${inFlight} requests in flight, over the budget of ${maxConcurrent}`);
}
