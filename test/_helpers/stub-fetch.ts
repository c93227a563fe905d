import { vi } from 'vitest';
import type { FetchInit, FetchLike } from '../../src/index.js';

/** What a stub answers: a JSON body (status 200), a full Response, or 'never' (waits for abort). */
export type StubAnswer = unknown | Response | 'never';

/** A recorded call of the stub fetch. */
export interface StubCall {
  url: string;
  init: FetchInit;
}

/**
 * A fetch stub that answers from a list (the last answer repeats) and records every call. A
 * 'never' answer only settles when the request's signal aborts, rejecting with its reason.
 */
export function stubFetch(...answers: StubAnswer[]): FetchLike & { calls: StubCall[] } {
  const calls: StubCall[] = [];
  const fetch = vi.fn((url: string, init: FetchInit) => {
    calls.push({ url, init });
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)];
    if (answer === 'never') {
      return new Promise<Response>((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason), { once: true }));
    }
    if (answer instanceof Response) return Promise.resolve(answer.clone());
    return Promise.resolve(Response.json(answer));
  });
  return Object.assign(fetch, { calls });
}

/** A JSON error response. */
export const httpAnswer = (status: number, body: unknown = { detail: 'nope' }, headers: Record<string, string> = {}) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
