/**
 * The most jobs one BullMQ worker is given. A worker fetches jobs one after another, up to its
 * concurrency, before it starts the first: each job's slot in the limiter ages by a Redis round trip
 * per job fetched after it. Small fetchers keep that age well inside `slackMs / 2`, so that slots
 * are seldom given back unsent.
 */
const MAX_FETCHER_CONCURRENCY = 8;

/**
 * Splits a worker's concurrency over as few BullMQ workers as keep each at or under
 * {@link MAX_FETCHER_CONCURRENCY}, as evenly as possible.
 *
 * @example
 * ```ts
 * fetcherShares(20); // [7, 7, 6]
 * ```
 */
export function fetcherShares(concurrency: number): number[] {
  const count = Math.ceil(concurrency / MAX_FETCHER_CONCURRENCY);
  return Array.from({ length: count }, (_, i) => Math.floor(concurrency / count) + (i < concurrency % count ? 1 : 0));
}
