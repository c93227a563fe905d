import type { FetchLike } from './fetch-like.js';

/** `globalThis.fetch` bound to `globalThis`, kept while the global is the same function. */
let boundGlobal: { readonly of: unknown; readonly fetch: FetchLike } | undefined;

/**
 * The fetch to use when none was given: `globalThis.fetch`, read at request time (returned at
 * once, bound once per global function), else cross-fetch, imported only then so it is never in
 * the default bundle (returned as a promise).
 */
export function loadFetch(): FetchLike | Promise<FetchLike> {
  const global: unknown = globalThis.fetch;
  if (typeof global !== 'function') return importCrossFetch();
  if (boundGlobal?.of !== global) boundGlobal = { of: global, fetch: (global as FetchLike).bind(globalThis) };
  return boundGlobal.fetch;
}

async function importCrossFetch(): Promise<FetchLike> {
  try {
    const crossFetch = await import('cross-fetch');
    return crossFetch.default as unknown as FetchLike;
  } catch (cause) {
    throw new TypeError('camb-rx: this runtime has no global fetch; pass `fetch` in the options or install cross-fetch', { cause });
  }
}
