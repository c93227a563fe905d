import { describe, expect, it } from 'vitest';
import { plural } from '../../src/util/plural.js';

describe('plural', () => {
  it('uses the singular for exactly one', () => {
    expect([0, 1, 2].map((n) => plural(n, 'poll'))).toEqual(['0 polls', '1 poll', '2 polls']);
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
  });
});
