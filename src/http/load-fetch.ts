import type { FetchLike } from './fetch-like.js';

/**
 * The fetch to use when none was given: `globalThis.fetch`, read at request time, else
 * cross-fetch, imported only then so it is never in the default bundle.
 */
export async function loadFetch(): Promise<FetchLike> {
  if (typeof globalThis.fetch === 'function') return globalThis.fetch.bind(globalThis);
  try {
    const crossFetch = await import('cross-fetch');
    return crossFetch.default as unknown as FetchLike;
  } catch (cause) {
    throw new TypeError('camb-rx: this runtime has no global fetch; pass `fetch` in the options or install cross-fetch', { cause });
  }
}
