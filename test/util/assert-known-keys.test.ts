import { describe, expect, it } from 'vitest';
import { assertKnownKeys, optionKeys } from '../../src/util/assert-known-keys.js';

const known = optionKeys<{ interval?: number; timeoutMs?: number; maxRequestsPerSecond?: number; retry?: number }>({
  interval: true,
  timeoutMs: true,
  maxRequestsPerSecond: true,
  retry: true,
});

describe('assertKnownKeys', () => {
  it('accepts known names, and leaves a value that is not an object to the resolver', () => {
    expect(() => assertKnownKeys({ interval: 1, timeoutMs: undefined }, known)).not.toThrow();
    for (const value of [undefined, null, 5, 'x']) expect(() => assertKnownKeys(value, known)).not.toThrow();
  });

  it.each([
    ['intervall', 'interval'], // one letter too many
    ['inteval', 'interval'], // one too few
    ['timoeutMs', 'timeoutMs'], // two swapped
    ['timeoutms', 'timeoutMs'], // case
    ['maxRequestPerSecond', 'maxRequestsPerSecond'],
  ])('refuses %s, suggesting %s', (typo, meant) => {
    expect(() => assertKnownKeys({ [typo]: 1 }, known)).toThrow(new TypeError(`camb-rx: unknown option \`${typo}\`; did you mean \`${meant}\`?`));
  });

  it('lists the known names when none is close, with the nested path', () => {
    expect(() => assertKnownKeys({ colour: 'red' }, known, 'retry.')).toThrow(
      'camb-rx: unknown option `retry.colour`; the options here are `retry.interval`, `retry.timeoutMs`, `retry.maxRequestsPerSecond`, `retry.retry`',
    );
  });

  it('refuses an unknown name even when its value is undefined (it may not be, in production)', () => {
    expect(() => assertKnownKeys({ baseURL: undefined }, ['baseUrl'])).toThrow(/did you mean `baseUrl`/);
  });
});
