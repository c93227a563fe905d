import { describe, expect, it } from 'vitest';
import { isCambHttpError } from '../../src/index.js';
import { FailedResponseError, isFailedResponse } from '../../src/retry/failed-response.js';

describe('failed Response values', () => {
  it('tells a Response that is not ok from anything else', () => {
    expect(isFailedResponse(new Response('', { status: 503 }))).toBe(true);
    expect(isFailedResponse(new Response('', { status: 404 }))).toBe(true);
    expect(isFailedResponse(new Response('', { status: 200 }))).toBe(false);
    for (const value of [undefined, null, 503, 'x', { ok: false }, { ok: false, status: 503 }, { status: 503, headers: new Headers() }]) {
      expect(isFailedResponse(value)).toBe(false);
    }
    expect(isFailedResponse({ ok: false, status: 503, headers: new Headers() })).toBe(true); // any fetch's Response
  });

  it('stands for a CambHttpError with its status, URL and Retry-After', () => {
    const response = new Response('', { status: 429, headers: { 'retry-after': '3' } });
    const error = new FailedResponseError(response);
    expect(isCambHttpError(error)).toBe(true); // so retryOn and the guards treat it as one
    expect(error).toMatchObject({ code: 'CAMB_HTTP_ERROR', name: 'CambHttpError', status: 429, retryAfterMs: 3000, method: '' });
    expect(error.message).toBe('the request answered 429');
    expect(error.response).toBe(response);
    expect(new FailedResponseError(new Response('', { status: 500 })).retryAfterMs).toBeUndefined();
  });
});
