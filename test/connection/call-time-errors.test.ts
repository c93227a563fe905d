import { describe, expect, it, vi } from 'vitest';
import { createCambClient, mergeTasks, taskStatus$, transcriptionStatus$, type BudgetOptions, type PollOptions } from '../../src/index.js';

const apiKey = 'k';
const call = (options: Partial<PollOptions>, taskId = 't1') => () => transcriptionStatus$(taskId, { apiKey, ...options } as PollOptions);

describe('programmer errors throw TypeError when the function is called', () => {
  it('requires a usable apiKey', () => {
    for (const options of [{}, { apiKey: '' }, { apiKey: '  ' }, { apiKey: 'a\nb' }, { apiKey: 42 }]) {
      expect(() => transcriptionStatus$('t1', options as PollOptions)).toThrow(/`apiKey` must be a non-empty string/);
    }
    expect(() => transcriptionStatus$('t1', undefined as never)).toThrow(TypeError);
  });

  it.each([
    ['NUL', 'sk-live\u0000abcdef', /it has U\+0000 at index 7/],
    ['a character above U+00FF', 'sk-live-ключ-1234', /it has U\+043A at index 8/],
    ['DEL', 'sk-live-\u007fabc', /it has U\+007F at index 8/],
    ['a carriage return', 'sk-live\rabc', /it has U\+000D at index 7/],
    ['a trailing space', 'sk-live-abc ', /it has U\+0020 at index 11/],
  ])('refuses an apiKey with %s, which no header may carry, without showing it', (_name, key, reason) => {
    const error = (() => {
      try {
        transcriptionStatus$('t1', { apiKey: key });
      } catch (thrown) {
        return thrown as Error;
      }
      throw new Error('no TypeError at call time');
    })();
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/`apiKey` must be a non-empty string that can be a header value \(Latin-1, no control characters, no surrounding whitespace\)/);
    expect(error.message).toMatch(reason);
    expect(error.message).not.toContain(key);
  });

  it('accepts a Latin-1 apiKey with a tab inside, as HTTP allows', () => {
    expect(() => transcriptionStatus$('t1', { apiKey: 'sk-\tcafé-1234' })).not.toThrow();
  });

  it.each([
    ['the key in its credentials', 'https://user:sk-live-secret@x/apis', ['sk-live-secret', 'user:']],
    ['the key in its query', 'https://x/apis?key=sk-live-secret', ['sk-live-secret']],
    ['the key as its host', 'http://sk-live-secret/apis', ['sk-live-secret']],
    ['other credentials', 'https://admin:hunter22@x/apis', ['hunter22', 'admin']],
  ])('a refused baseUrl with %s never shows it in the TypeError', (_name, baseUrl, hidden) => {
    const refuse = () => transcriptionStatus$('t1', { apiKey: 'sk-live-secret', baseUrl });
    expect(refuse).toThrow(TypeError);
    expect(refuse).toThrow(/\[redacted\]/);
    for (const secret of hidden) expect(refuse).not.toThrow(secret);
  });

  it.each(['', '.', '..', '../x', 'a/b', 'a\\b', 'a b', 'a\u0000b', 'x'.repeat(257)])('refuses the task id %j', (id) => {
    expect(call({}, id)).toThrow(/taskId must be 1–256 characters/);
  });

  it('refuses an unknown task kind', () => {
    expect(() => taskStatus$('transcribe/../../admin' as never, 't1', { apiKey })).toThrow(/unknown task kind/);
  });

  it('refuses plain http except to loopback, unless allowInsecureHttp', () => {
    expect(call({ baseUrl: 'http://api.example.com/apis' })).toThrow(/refusing plain http to api.example.com/);
    expect(call({ baseUrl: 'http://api.example.com/apis', allowInsecureHttp: true })).not.toThrow();
    for (const baseUrl of ['http://127.0.0.1:8080/apis', 'http://localhost:1/apis', 'http://[::1]:9/apis']) expect(call({ baseUrl })).not.toThrow();
  });

  it.each([['ftp://x/apis'], ['not a url'], ['https://x/apis?key=1'], ['https://user:pw@x/apis']])('refuses the baseUrl %s', (baseUrl) => {
    expect(call({ baseUrl })).toThrow(/option `baseUrl` must be/);
  });

  it.each<[Partial<PollOptions>, RegExp]>([
    [{ interval: -1 }, /`interval`/],
    [{ interval: Number.NaN }, /`interval`/],
    [{ interval: { factor: 0.5 } }, /`interval.factor`/],
    [{ interval: { initialMs: 5000, maxMs: 1000 } }, /`interval.maxMs`/],
    [{ interval: { jitter: 2 } }, /`interval.jitter`/],
    [{ interval: 'fast' as never }, /`interval`/],
    [{ timeoutMs: 0 }, /`timeoutMs`/],
    [{ timeoutMs: 2 ** 40 }, /`timeoutMs`/],
    [{ requestTimeoutMs: -5 }, /`requestTimeoutMs`/],
    [{ notFoundGraceMs: -1 }, /`notFoundGraceMs`/],
    [{ minIntervalMs: -1 }, /`minIntervalMs`/],
    [{ isTerminal: true as never }, /`isTerminal`/],
    [{ signal: {} as never }, /`signal`/],
    [{ fetch: 'fetch' as never }, /`fetch`/],
    [{ scheduler: {} as never }, /`scheduler`/],
    [{ retry: -1 }, /`retry.maxRetries`/],
    [{ retry: { maxDelayMs: Infinity } }, /`retry.maxDelayMs`/],
    [{ retry: 'yes' as never }, /`retry`/],
    [{ maxBodyBytes: 0 }, /`maxBodyBytes`/],
  ])('refuses %o', (options, message) => {
    expect(call(options)).toThrow(message);
    expect(call(options)).toThrow(TypeError);
  });

  it.each<[BudgetOptions, RegExp]>([
    [{ maxConcurrentRequests: 0 }, /`maxConcurrentRequests`/],
    [{ maxRequestsPerSecond: 1.5 }, /`maxRequestsPerSecond`/],
    [{ burst: 0 }, /`burst` must be a whole number/],
    [{ maxRequestsPerSecond: 5, burst: 6 }, /`burst` must be at most maxRequestsPerSecond \(5\)/],
    [{ burst: 1.5 }, /`burst`/],
  ])('refuses the budget %o, in createCambClient and in mergeTasks', (options, message) => {
    expect(() => createCambClient({ apiKey, ...options })).toThrow(message);
    expect(() => mergeTasks({ apiKey, ...options })).toThrow(TypeError);
  });

  it('lets an explicit undefined keep a budget default; a burst up to maxRequestsPerSecond is fine', () => {
    expect(() => createCambClient({ apiKey, maxConcurrentRequests: undefined, maxRequestsPerSecond: undefined, burst: undefined })).not.toThrow();
    expect(() => createCambClient({ apiKey, maxRequestsPerSecond: 5, burst: 5 })).not.toThrow();
    expect(() => createCambClient({ apiKey, maxRequestsPerSecond: Infinity, burst: 3 })).not.toThrow();
  });

  it('shows what the bad value was, whatever its type', () => {
    expect(call({ interval: [] as never })).toThrow(/`interval` must be .*, got an empty array$/);
    expect(call({ timeoutMs: [5] as never })).toThrow(/got an array of 1$/);
    expect(call({ signal: {} as never })).toThrow(/`signal` must be an AbortSignal, got an object$/);
    expect(call({ scheduler: new Map() as never })).toThrow(/got a Map$/);
    expect(call({ timeoutMs: '5s' as never })).toThrow(/got "5s"$/);
  });

  it('lets an explicit undefined keep the default, and accepts Infinity where documented', () => {
    expect(call({ interval: undefined, timeoutMs: undefined, retry: undefined, baseUrl: undefined } as never)).not.toThrow();
    expect(call({ timeoutMs: Infinity, requestTimeoutMs: Infinity, retry: false })).not.toThrow();
  });

  it('sends nothing until subscription (cold)', () => {
    const fetch = vi.fn();
    transcriptionStatus$('t1', { apiKey, fetch });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('reports a bad interval function result inside the stream, as a TypeError', async () => {
    const fetch = vi.fn(async () => Response.json({ status: 'PENDING' }));
    const error = await new Promise((resolve) => transcriptionStatus$('t1', { apiKey, fetch, interval: () => Number.NaN }).subscribe({ error: resolve }));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/interval\(context\) result/);
  });
});
