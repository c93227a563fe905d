import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/util/redactor.js';

const key = 'sk-live/7e1+ab"c';
const redactor = createRedactor([key]);

describe('createRedactor', () => {
  it('replaces the secret as written, percent-encoded, JSON-escaped and HTML-escaped', () => {
    for (const spelling of [key, encodeURIComponent(key), JSON.stringify(key).slice(1, -1), 'sk-live/7e1+ab&quot;c']) {
      expect(redactor.text(`<${spelling}> and again ${spelling}`)).toBe('<[redacted]> and again [redacted]');
    }
  });

  it('hands back text without the secret unchanged', () => {
    const text = 'nothing to see';
    expect(redactor.text(text)).toBe(text);
  });

  it('drops a trailing start of the secret from text that was cut, but not an ordinary word', () => {
    expect(redactor.cutText(`detail: ${key.slice(0, 9)}`)).toBe('detail: ');
    expect(redactor.cutText('a word ending in sk-')).toBe('a word ending in sk-'); // 3 characters: too short to hide anything
    expect(redactor.cutText(`${key} then sk-li`)).toBe('[redacted] then ');
  });

  it('redacts every string and property name of a JSON value, and keeps the value when nothing held it', () => {
    const clean = { status: 'PENDING', list: [1, 'two', { three: null }] };
    expect(redactor.value(clean)).toBe(clean);
    expect(redactor.value({ status: `for ${key}`, [key]: [key, 2], nested: { deep: [`x${key}x`] } })).toEqual({
      status: 'for [redacted]',
      '[redacted]': ['[redacted]', 2],
      nested: { deep: ['x[redacted]x'] },
    });
  });

  it('copies an error that shows the secret (message, stack, own fields, causes), keeping its class; others are kept as they are', () => {
    const clean = new Error('fetch failed');
    expect(redactor.error(clean)).toBe(clean);
    const leaky = Object.assign(new TypeError('fetch failed', { cause: new Error(`bad header ${key}`, { cause: key }) }), { code: 'E_X', header: key });
    const safe = redactor.error(leaky) as TypeError & { code: string; header: string };
    expect(safe).toBeInstanceOf(TypeError);
    expect(safe).toMatchObject({ message: 'fetch failed', code: 'E_X', header: '[redacted]' });
    expect((safe.cause as Error).message).toBe('bad header [redacted]');
    expect((safe.cause as Error).cause).toBe('[redacted]');
    expect(inspect(safe, { depth: 20 })).not.toContain(key);
    expect(redactor.error(`a string ${key}`)).toBe('a string [redacted]');
  });

  it('leaves secrets shorter than 4 characters alone (they would mangle ordinary text)', () => {
    const short = createRedactor(['k']);
    expect(short.text('task k')).toBe('task k');
  });

  it('never leaves the secret in any text that held it (property)', () => {
    fc.assert(
      // Keys of characters that `[redacted]` does not hold, so the replacement cannot spell one by chance.
      fc.property(fc.string(), fc.string(), fc.stringMatching(/^[A-Z0-9+/=_-]{4,40}$/), (before, after, secret) => {
        expect(createRedactor([secret]).text(`${before}${secret}${after}`)).not.toContain(secret);
      }),
    );
  });
});
