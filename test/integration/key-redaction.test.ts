import { inspect } from 'node:util';
import { firstValueFrom, from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  CambMergeError,
  CambTaskFailedError,
  CambTimeoutError,
  createTranscription$,
  mergeTasks,
  throwOnFailure,
  transcriptionStatus$,
  type RetryEvent,
} from '../../src/index.js';
import { useHostileServers } from '../_helpers/hostile-server.js';

/*
 * The README's promise, against a server that echoes the key in everything it sends: no error, no
 * event and no rendering of either (message, toString, JSON, util.inspect with causes, stack) holds it.
 */

const apiKey = 'sk-live-0d5e7c1b9a3f';
const hostileServer = useHostileServers();

/** Every rendering of a value in which the key shows. */
const leaks = (value: unknown): string[] => {
  const { message, stack } = value instanceof Error ? value : { message: '', stack: '' };
  return [String(value), message, JSON.stringify(value), inspect(value, { depth: 20 }), stack ?? ''].filter((text) => text.includes(apiKey));
};

/** The key as the server received it: the echo is of what arrived, not of a constant. */
const echoed = (headers: Record<string, string | string[] | undefined>): string => String(headers['x-api-key']);

describe('a server that echoes the key', () => {
  it('a retried 503: neither the onRetry events nor the final error hold it', async () => {
    const server = await hostileServer((req, res) => res.writeHead(503).end(`{"detail":"overloaded for ${echoed(req.headers)}"}`));
    const events: RetryEvent[] = [];
    const error = await firstValueFrom(
      transcriptionStatus$('t1', { apiKey, baseUrl: server.baseUrl, retry: { maxRetries: 2, baseDelayMs: 1, onRetry: (e) => events.push(e) } }),
    ).catch((e: unknown) => e);
    expect(server.requests.map((r) => r.apiKey)).toEqual([apiKey, apiKey, apiKey]);
    expect(events).toHaveLength(2);
    for (const event of events) expect(leaks(event)).toEqual([]);
    expect(error).toMatchObject({ name: 'CambHttpError', status: 503, bodyExcerpt: '{"detail":"overloaded for [redacted]"}' });
    expect(leaks(error)).toEqual([]);
  });

  it('a CambMergeError whose task got a 404 that echoes it', async () => {
    const server = await hostileServer((req, res) =>
      req.url?.endsWith('/gone')
        ? res.writeHead(404).end(`{"detail":"task not found for key ${echoed(req.headers)}"}`)
        : res.end('{"status":"SUCCESS","run_id":1}'),
    );
    const error = await lastValueFrom(from(['a', 'gone']).pipe(mergeTasks({ apiKey, baseUrl: server.baseUrl, retry: false }), toArray())).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CambMergeError);
    expect((error as CambMergeError).message).toContain('task not found for key [redacted]');
    expect(leaks(error)).toEqual([]);
  });

  it('a CambTimeoutError whose last status message echoed it', async () => {
    const server = await hostileServer((req, res) => res.end(JSON.stringify({ status: 'PENDING', message: `queued for ${echoed(req.headers)}` })));
    const error = await lastValueFrom(transcriptionStatus$('t1', { apiKey, baseUrl: server.baseUrl, interval: 300, timeoutMs: 100 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CambTimeoutError);
    expect((error as CambTimeoutError).lastStatus?.message).toBe('queued for [redacted]');
    expect(leaks(error)).toEqual([]);
  });

  it('a CambTaskFailedError whose status message and reason echoed it, and the status values themselves', async () => {
    const server = await hostileServer((req, res) =>
      res.end(JSON.stringify({ status: 'ERROR', exception_reason: `BAD_KEY_${echoed(req.headers)}`, message: { key: echoed(req.headers) } })),
    );
    const statuses = transcriptionStatus$('t1', { apiKey, baseUrl: server.baseUrl });
    const values = await lastValueFrom(statuses.pipe(toArray()));
    expect(leaks(values)).toEqual([]);
    const error = await lastValueFrom(statuses.pipe(throwOnFailure())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CambTaskFailedError);
    expect((error as CambTaskFailedError).exceptionReason).toBe('BAD_KEY_[redacted]');
    expect(leaks(error)).toEqual([]);
  });

  it('a create (POST) answered 401 with the key in its detail', async () => {
    const server = await hostileServer((req, res) => res.writeHead(401).end(`{"detail":"Invalid API key: ${echoed(req.headers)}"}`));
    const error = await firstValueFrom(createTranscription$({ language: 1, mediaUrl: 'https://example.com/a.wav' }, { apiKey, baseUrl: server.baseUrl })).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'CambHttpError', status: 401, method: 'POST' });
    expect(leaks(error)).toEqual([]);
  });
});
