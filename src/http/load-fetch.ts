import type { FetchLike } from './fetch-like.js';

/**
 * The fetch to use when none was given: `globalThis.fetch`, read at request time and returned at
 * once, else cross-fetch, imported only then so it is never in the default bundle (returned as a
 * promise).
 */
export function loadFetch(): FetchLike | Promise<FetchLike> {
  return typeof globalThis.fetch === 'function' ? globalThis.fetch.bind(globalThis) : importCrossFetch();
}

async function importCrossFetch(): Promise<FetchLike> {
  try {
    const crossFetch = await import('cross-fetch');
    return crossFetch.default as unknown as FetchLike;
  } catch (cause) {
    throw new TypeError('camb-rx: this runtime has no global fetch; pass `fetch` in the options or install cross-fetch', { cause });
  }
}
