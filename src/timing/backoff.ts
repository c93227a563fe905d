import { MAX_TIMER_MS } from '../util/assert-option.js';

/**
 * An exponential cadence: `initialMs`, then times `factor` each step, never above `maxMs`. As a
 * poll `interval`, fields left out come from {@link DEFAULT_POLL_BACKOFF}.
 *
 * @example
 * ```ts
 * import { transcriptionStatus$, type Backoff } from 'camb-rx';
 * const slow: Backoff = { initialMs: 5000, factor: 2, maxMs: 120_000, jitter: 0.1 };
 * transcriptionStatus$(taskId, { apiKey, interval: slow }).subscribe(console.log);
 * ```
 */
export interface Backoff {
  /** First delay, in ms. */
  initialMs: number;
  /** Growth per step (1 = constant). */
  factor: number;
  /** The cap, in ms. */
  maxMs: number;
  /** Fraction of each delay drawn at random, 0–1: the delay falls in `[d·(1−jitter), d]`. */
  jitter: number;
}

/**
 * The capped delay of step `step` (1-based) before jitter: `min(maxMs, initialMs · factor^(step−1))`.
 *
 * @example
 * ```ts
 * cappedDelay(3, { initialMs: 1000, factor: 2, maxMs: 30_000, jitter: 0 }); // 4000
 * ```
 */
export function cappedDelay(step: number, backoff: Backoff): number {
  const grown = backoff.initialMs === 0 ? 0 : backoff.initialMs * backoff.factor ** Math.max(0, step - 1);
  return Math.min(backoff.maxMs, grown, MAX_TIMER_MS);
}

/**
 * The delay of step `step` with jitter applied downward, so `maxMs` stays a true maximum.
 *
 * @param step - 1-based step
 * @param backoff - the cadence
 * @param random - a source of numbers in `[0, 1)`
 * @returns a delay in `[capped·(1−jitter), capped]`
 * @example
 * ```ts
 * backoffDelay(1, { initialMs: 2000, factor: 1.5, maxMs: 30_000, jitter: 0.2 }); // 1600–2000
 * ```
 */
export function backoffDelay(step: number, backoff: Backoff, random: () => number = Math.random): number {
  const capped = cappedDelay(step, backoff);
  return capped - capped * backoff.jitter * random();
}

/**
 * "Full jitter" retry delay (AWS architecture blog): uniform in `[0, min(maxMs, baseMs · 2^(attempt−1))]`.
 *
 * @param attempt - 1-based retry number
 * @returns a delay in milliseconds
 * @example
 * ```ts
 * fullJitterDelay(3, 500, 20_000); // 0–2000
 * ```
 */
export function fullJitterDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  return random() * cappedDelay(attempt, { initialMs: baseMs, factor: 2, maxMs, jitter: 0 });
}
