import { inspect } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { resolveCambOptions, type CambOptions } from '../../src/connection/connection-options.js';
import { CambHttpError, CambSchemaError, CambTransportError, type FetchLike } from '../../src/index.js';
import { sendRequest$ } from '../../src/http/send-request.js';
import { useHostileServers, useRawServers, type HostileServer } from '../_helpers/hostile-server.js';
import { expectNoLeakedResources, resourceBaseline } from '../_helpers/leaks.js';

/*
 * One request against servers that misbehave on purpose (raw node:http and node:net, real sockets):
 * how each answer is classified, and what of it an error shows.
 */

const apiKey = 'sk-live-4f9a1c2e8b7d';
const statusSchema = z.object({ status: z.string() });
const hostileServer = useHostileServers();
const rawServer = useRawServers();

/** Sends `GET transcribe/t1` to the server and settles with the value or the error. */
function send(server: HostileServer, options: Partial<CambOptions> = {}): Promise<unknown> {
  const connection = resolveCambOptions({ apiKey, baseUrl: server.baseUrl, retry: false, ...options });
  return firstValueFrom(sendRequest$({ method: 'GET', path: 'transcribe/t1' }, statusSchema, connection)).catch((error: unknown) => error);
}

/** Every way an error is shown: message, toString, JSON, inspect (with causes), stack. */
const renderings = (error: unknown): string[] => [
  String(error),
  (error as Error).message,
  JSON.stringify(error),
  inspect(error, { depth: 20 }),
  (error as Error).stack ?? '',
];

describe('sendRequest$: the answer', () => {
  it('emits a valid 2xx body', async () => {
    const server = await hostileServer((_req, res) => res.end('{"status":"PENDING"}'));
    expect(await send(server)).toEqual({ status: 'PENDING' });
    expect(server.requests).toEqual([{ method: 'GET', path: '/apis/transcribe/t1', apiKey }]);
  });

  it('takes the key out of a 2xx body that echoes it, in values and property names', async () => {
    const server = await hostileServer((req, res) => res.end(JSON.stringify({ status: `FAILED for ${req.headers['x-api-key']}`, [apiKey]: 1 })));
    const value = await send(server, { fetch: (url, init) => fetch(url, init) });
    expect(value).toEqual({ status: 'FAILED for [redacted]' });
  });
});

describe('sendRequest$: an error status is decided on its status line and headers', () => {
  it('a 404 whose body never ends is that 404 (not a timeout), with what arrived, and its socket is closed', async () => {
    const server = await hostileServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.write('no such task, and this body never ends');
    });
    const error = await send(server, { requestTimeoutMs: 5000 });
    expect(error).toBeInstanceOf(CambHttpError);
    expect(error).toMatchObject({ status: 404, bodyExcerpt: 'no such task, and this body never ends…' });
    await server.allClosed(); // the endless body was cancelled, not left holding the connection
  });

  it('unsubscribing while the excerpt of an endless error body is read closes the connection and leaves no timer', async () => {
    const server = await hostileServer((_req, res) => {
      res.writeHead(404);
      res.write('endless');
    });
    const baseline = resourceBaseline();
    const connection = resolveCambOptions({ apiKey, baseUrl: server.baseUrl, retry: false });
    const subscription = sendRequest$({ method: 'GET', path: 'transcribe/t1' }, statusSchema, connection).subscribe({ error: () => undefined });
    await sleep(200); // headers are in, and the excerpt is being read for up to 1 s
    subscription.unsubscribe();
    await server.allClosed(); // the connection is closed at the server
    await expectNoLeakedResources(baseline, { types: ['Timeout'], timeoutMs: 100 }); // and the excerpt's wait is cleared
  });

  it('a 429 with Retry-After whose body never ends is that 429, with its Retry-After', async () => {
    const server = await hostileServer((_req, res) => {
      res.writeHead(429, { 'retry-after': '2' });
      res.write('slow down');
    });
    const error = await send(server, { requestTimeoutMs: 5000 });
    expect(error).toBeInstanceOf(CambHttpError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 2000, bodyExcerpt: 'slow down…' });
  });

  it('a 404 whose body never ends is that 404 even when the request timeout comes first', async () => {
    const server = await hostileServer((_req, res) => {
      res.writeHead(404);
      res.write('gone');
    });
    const error = await send(server, { requestTimeoutMs: 50 });
    expect(error).toMatchObject({ name: 'CambHttpError', status: 404 });
  });

  it('shows the start of a large error body (4 KiB are read, 300 characters shown)', async () => {
    const server = await hostileServer((_req, res) => res.writeHead(500).end(`${'x'.repeat(20_000)}`));
    const error = (await send(server)) as CambHttpError;
    expect(error.bodyExcerpt).toBe(`${'x'.repeat(300)}…`);
  });

  it('ignores a Retry-After it cannot read ("abc 1"), so the caller falls back to its backoff', async () => {
    for (const junk of ['abc 1', 'soon', '1.5', '-1', '5, 7', 'Sat, 31 Feb 2026 12:00:00 GMT', '2026-11-28T12:00:00Z']) {
      const server = await hostileServer((_req, res) => res.writeHead(503, { 'retry-after': junk }).end());
      const error = (await send(server)) as CambHttpError;
      expect(error.status).toBe(503);
      expect(error.retryAfterMs, junk).toBeUndefined();
    }
  });

  it('says what a 304 is: Not Modified, not a redirect', async () => {
    const server = await hostileServer((_req, res) => res.writeHead(304).end());
    const error = (await send(server)) as CambHttpError;
    expect(error.status).toBe(304);
    expect(error.message).toMatch(/^CAMB answered 304 to GET http:\/\/127\.0\.0\.1:\d+\/apis\/transcribe\/t1: Not Modified/);
    expect(error.message).not.toMatch(/redirect/);
  });

  it('calls a 302 a redirect it did not follow', async () => {
    const server = await hostileServer((_req, res) => res.writeHead(302, { location: 'https://elsewhere.example/' }).end());
    const error = (await send(server)) as CambHttpError;
    expect(error.message).toMatch(/a redirect, which camb-rx does not follow/);
    expect(server.requests).toHaveLength(1);
  });
});

describe('sendRequest$: only failures of fetch and of the body read are transport errors', () => {
  it('a connection reset before any answer is a network CambTransportError', async () => {
    const server = await rawServer((socket) => socket.resetAndDestroy());
    const error = await send(server);
    expect(error).toBeInstanceOf(CambTransportError);
    expect(error).toMatchObject({ failure: 'network' });
  });

  it('a 200 body cut short is a network CambTransportError', async () => {
    const server = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"status":');
      setImmediate(() => socket.destroy());
    });
    const error = await send(server);
    expect(error).toMatchObject({ name: 'CambTransportError', failure: 'network' });
  });

  it('a 200 body that never ends is a timeout CambTransportError', async () => {
    const server = await hostileServer((_req, res) => {
      res.writeHead(200);
      res.write('{"status":');
    });
    const error = await send(server, { requestTimeoutMs: 50 });
    expect(error).toMatchObject({ name: 'CambTransportError', failure: 'timeout' });
  });

  it('a bug while reading a response (here: a fetch that gives no headers) is passed on as it is, not retried as a network error', async () => {
    const server = await hostileServer((_req, res) => res.writeHead(500).end());
    const headless: FetchLike = async (url, init) => {
      const response = await fetch(url, init);
      return { status: response.status, statusText: response.statusText, text: () => response.text() } as never;
    };
    const error = await send(server, { fetch: headless });
    expect(error).toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(CambTransportError);
  });

  it('an unsolicited 100 Continue before a 200 fails in Node fetch itself, as a network error (a known limit)', async () => {
    const server = await rawServer((socket) =>
      socket.end('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 20\r\n\r\n{"status":"PENDING"}'),
    );
    const plain = await fetch(`${server.baseUrl}/transcribe/t1`).catch((error: unknown) => error);
    expect(plain).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    const error = await send(server);
    expect(error).toMatchObject({ name: 'CambTransportError', failure: 'network', systemCode: 'UND_ERR_SOCKET' });
  });
});

describe('sendRequest$: a server that echoes the key', () => {
  const leaks = (error: unknown) => renderings(error).filter((text) => text.includes(apiKey));

  it.each([
    ['a 401 JSON detail', 401, 'application/json', (key: string) => JSON.stringify({ detail: `Invalid API key: ${key}` })],
    ['a 403 HTML page', 403, 'text/html', (key: string) => `<html><body><h1>Forbidden</h1><p>key ${key} is not allowed</p></body></html>`],
    ['a 503', 503, 'text/plain', (key: string) => `overloaded, try again later, ${key}`],
    ['a percent-encoded echo', 400, 'text/plain', (key: string) => `bad key=${encodeURIComponent(`${key}/`)}`],
  ])('%s never shows it in any rendering of the error', async (_name, status, type, body) => {
    const server = await hostileServer((req, res) => res.writeHead(status, { 'content-type': type }).end(body(String(req.headers['x-api-key']))));
    const error = (await send(server)) as CambHttpError;
    expect(error).toBeInstanceOf(CambHttpError);
    expect(error.bodyExcerpt).toContain('[redacted]');
    expect(leaks(error)).toEqual([]);
  });

  it('never shows a start of it when the error body is cut in the middle of the key', async () => {
    const server = await hostileServer((req, res) => {
      res.writeHead(401);
      res.write(`${' '.repeat(4096 - 5 - 8)}key: ${String(req.headers['x-api-key'])}`); // 4 KiB end 8 characters into the key
    });
    const error = (await send(server)) as CambHttpError;
    expect(error.bodyExcerpt).toBe('key:…');
  });

  it.each([
    ['not JSON', (key: string) => `<html>${key}</html>`],
    ['the wrong shape', (key: string) => JSON.stringify({ state: key })],
    ['a wrong-typed field', (key: string) => JSON.stringify({ status: 1, note: key })],
  ])('a 200 body that is %s gives a CambSchemaError without it', async (_name, body) => {
    const server = await hostileServer((req, res) => res.end(body(String(req.headers['x-api-key']))));
    const error = await send(server);
    expect(error).toBeInstanceOf(CambSchemaError);
    expect(leaks(error)).toEqual([]);
  });

  it('a runtime error that holds the key (a fetch that rejects with it) is redacted, causes included', async () => {
    const server = await hostileServer((_req, res) => res.end());
    const leaky: FetchLike = async (_url, init) => {
      throw new TypeError('fetch failed', { cause: new Error(`bad header value ${init.headers['x-api-key']}`) });
    };
    const error = await send(server, { fetch: leaky });
    expect(error).toMatchObject({ name: 'CambTransportError', failure: 'network' });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect(leaks(error)).toEqual([]);
    expect(inspect(error, { depth: 20 })).toContain('bad header value [redacted]');
  });
});
