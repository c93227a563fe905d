import { MAX_TIMER_MS } from '../util/assert-option.js';

const MONTHS = 'janfebmaraprmayjunjulaugsepoctnovdec';

/** asctime (`Sun Nov  6 08:49:37 1994`), rewritten in IMF-fixdate's order. */
const asctime = /^([a-z]{3}) ([a-z]{3}) ([ \d]\d) (\S+) (\d{4})$/i;
/** IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) and RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`). */
const httpDate = /^[a-z]{3,9}, ([ \d]\d)[ -]([a-z]{3})[ -](\d{4}|\d\d) (\d\d):(\d\d):(\d\d) GMT$/i;

/**
 * An HTTP date in any of RFC 9110's three forms, as epoch ms; NaN for anything else, including a
 * day that does not exist (31 Feb). `Date.parse` is no judge: it reads `"abc 1"` as 2001.
 */
function parseHttpDate(value: string, nowMs: number): number {
  const [, day = '', monthName = '', yearText = '', ...time] = httpDate.exec(value.replace(asctime, '$1, $3 $2 $5 $4 GMT')) ?? [];
  const month = MONTHS.indexOf(monthName.toLowerCase()) / 3;
  const [hours, minutes, seconds] = time.map(Number) as [number, number, number];
  let year = Number(yearText);
  if (yearText.length === 2) {
    // A two-digit year more than 50 years ahead means the most recent past year ending so (RFC 9110).
    const thisYear = new Date(nowMs).getUTCFullYear();
    year += thisYear - (thisYear % 100);
    if (year > thisYear + 50) year -= 100;
  }
  const ms = Date.UTC(year, month, Number(day), hours, minutes, seconds);
  const exists = Number.isInteger(month) && new Date(ms).getUTCDate() === Number(day) && hours < 24 && minutes < 60 && seconds < 61;
  return exists ? ms : Number.NaN;
}

/**
 * Reads a `Retry-After` header: delta seconds (`"120"`) or an HTTP date in one of the three forms
 * RFC 9110 allows. Past dates give 0. Anything else (`"abc 1"`, `"1.5"`, `"-1"`, two values
 * joined by a comma, a date with no such day) is unreadable, so the caller falls back to its backoff.
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
  const date = parseHttpDate(value, nowMs);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - nowMs), MAX_TIMER_MS);
}
