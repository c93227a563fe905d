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

  it('ignores absent and unreadable values', () => {
    for (const value of [null, undefined, '', 'soon', '-1', '1.5']) expect(parseRetryAfter(value, now)).toBeUndefined();
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
