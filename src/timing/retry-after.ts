import { MAX_TIMER_MS } from '../util/assert-option.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY = '(?:mon|tue|wed|thu|fri|sat|sun)';
const LONG_DAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

/** The three date forms of RFC 9110 §5.6.7, and nothing else: `Date.parse` takes almost anything. */
const imfFixdate = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`, 'i');
const rfc850Date = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`, 'i');
const asctimeDate = new RegExp(`^${DAY} ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`, 'i');

/** Epoch ms of a calendar date and time in UTC, or NaN when a field is out of range (31 Feb, 25:00). */
function utc(year: number, month: number, day: number, hours: number, minutes: number, seconds: number): number {
  const ms = Date.UTC(year, month, day, hours, minutes, seconds);
  const date = new Date(ms);
  const exact = date.getUTCFullYear() === year && date.getUTCDate() === day && date.getUTCMonth() === month && hours < 24 && minutes < 60 && seconds < 61;
  return exact ? ms : Number.NaN;
}

const monthOf = (name: string): number => MONTHS.indexOf(name.toLowerCase());

/** An HTTP date in any of its three forms, as epoch ms; NaN for anything else. */
function parseHttpDate(value: string, nowMs: number): number {
  let match = imfFixdate.exec(value);
  if (match) {
    const [, day, month, year, h, m, s] = match as unknown as string[];
    return utc(Number(year), monthOf(month!), Number(day), Number(h), Number(m), Number(s));
  }
  match = rfc850Date.exec(value);
  if (match) {
    const [, day, month, yy, h, m, s] = match as unknown as string[];
    // A two-digit year more than 50 years ahead means the most recent past year ending so (RFC 9110).
    const thisYear = new Date(nowMs).getUTCFullYear();
    let year = thisYear - (thisYear % 100) + Number(yy);
    if (year > thisYear + 50) year -= 100;
    return utc(year, monthOf(month!), Number(day), Number(h), Number(m), Number(s));
  }
  match = asctimeDate.exec(value);
  if (match) {
    const [, month, day, h, m, s, year] = match as unknown as string[];
    return utc(Number(year), monthOf(month!), Number(day), Number(h), Number(m), Number(s));
  }
  return Number.NaN;
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
