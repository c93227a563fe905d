import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/timing/retry-after.js';

const now = Date.parse('2026-11-28T12:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delta seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date relative to now, and a past date as 0', () => {
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('reads the two obsolete HTTP date forms (RFC 850 and asctime), as RFC 9110 asks', () => {
    expect(parseRetryAfter('Saturday, 28-Nov-26 12:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Sat Nov 28 12:00:07 2026', now)).toBe(7000);
    expect(parseRetryAfter('Tue Dec  1 12:00:00 2026', now)).toBe(3 * 86_400_000);
    expect(parseRetryAfter('Sat, 28 Nov 26 12:00:07 GMT', now)).toBe(7000); // a two-digit year in the first form, read as RFC 850's
    expect(parseRetryAfter('Sunday, 28-Nov-99 12:00:00 GMT', now)).toBe(0); // 2099 is over 50 years ahead: 1999
  });

  it('ignores absent and unreadable values', () => {
    for (const value of [null, undefined, '', 'soon', '-1', '1.5']) expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  it.each([
    'abc 1', // Date.parse reads this as 1 Jan 2001: "now" for a server that sent junk
    '0x10',
    '+5',
    '1e3',
    '5, 7', // two headers joined
    '120 seconds',
    'Infinity',
    '2026-11-28T12:00:07Z', // ISO 8601 is no HTTP date
    'Sat, 28 Nov 2026 12:00:07', // no zone
    'Sat, 28 Nov 2026 12:00:07 PST',
    'Sat, 31 Feb 2026 12:00:07 GMT', // no such day
    'Sat, 28 Nov 2026 25:00:07 GMT',
    'Nov 28 2026',
    'tomorrow 1',
  ])('ignores the junk %j (the caller falls back to its backoff)', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  it('reads nothing but digits or an HTTP date from arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (value) => {
        const readable = /^\s*\d+\s*$/.test(value) || /GMT\s*$|\d{4}\s*$/.test(value);
        if (!readable) expect(parseRetryAfter(value, now)).toBeUndefined();
      }),
    );
  });

  it('gives exactly seconds·1000 for any delta, capped to the timer maximum (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (seconds) => {
        expect(parseRetryAfter(String(seconds), now)).toBe(Math.min(seconds * 1000, 2_147_483_647));
      }),
    );
  });

  it('gives exactly the distance to any future HTTP date, at second precision (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_400 }), (seconds) => {
        const header = new Date(now + seconds * 1000).toUTCString();
        expect(parseRetryAfter(header, now)).toBe(seconds * 1000);
      }),
    );
  });
});
