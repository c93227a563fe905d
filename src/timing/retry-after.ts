import { MAX_TIMER_MS } from '../util/assert-option.js';

/**
 * Reads a `Retry-After` header: delta seconds (`"120"`) or an HTTP date. Past dates give 0.
 *
 * @param header - the header's value, if any
 * @param nowMs - the current time, epoch milliseconds
 * @returns milliseconds to wait, or undefined when absent or unreadable
 * @example
 * ```ts
 * parseRetryAfter('3', Date.now()); // 3000
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', Date.now());
 * ```
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Math.min(Number(value) * 1000, MAX_TIMER_MS);
  const date = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - nowMs), MAX_TIMER_MS);
}
