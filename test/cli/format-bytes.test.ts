import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/cli/format-bytes.js';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [48_000, '48.0 kB'],
    [999_949, '999.9 kB'],
    [999_950, '1.0 MB'],
    [51_200_000, '51.2 MB'],
    [3_000_000_000, '3.0 GB'],
    [5e15, '5000.0 TB'],
  ])('%d bytes is %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
