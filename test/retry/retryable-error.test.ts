import { describe, expect, it } from 'vitest';
import { CambHttpError, CambSchemaError, CambTransportError, isRetryableError } from '../../src/index.js';
import { resolveCambOptions } from '../../src/connection/connection-options.js';
import { isRetryableCambError } from '../../src/retry/retryable-error.js';

const url = 'https://client.camb.ai/apis/transcribe/t1';
const http = (status: number) => new CambHttpError({ status, method: 'GET', url });
const transportFailures = ['network', 'timeout'] as const;
/** Every kind of error a connection's request can fail with: transport failures, each HTTP status class, a broken contract. */
const cambErrors = [
  ...transportFailures.map((failure) => new CambTransportError({ failure, method: 'GET', url, detail: 'fetch failed' })),
  ...[0, 304, 307, 400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503, 504].map(http),
  new CambSchemaError({ url, problem: 'body is not JSON', bodyExcerpt: '<html>' }),
];

describe("the connection's default retryOn (isRetryableCambError)", () => {
  it('is what a connection resolves to when retry leaves retryOn out', () => {
    const { retry } = resolveCambOptions({ apiKey: 'key-0123456789' });
    expect(retry && retry.retryOn).toBe(isRetryableCambError);
  });

  it('agrees with isRetryableError on every error a request of camb-rx can fail with', () => {
    expect(cambErrors.map(isRetryableCambError)).toEqual(cambErrors.map(isRetryableError));
    expect(cambErrors.filter(isRetryableCambError).map((e) => (e instanceof CambHttpError ? e.status : e.name))).toEqual([
      'CambTransportError',
      'CambTransportError',
      408,
      429,
      500,
      502,
      503,
      504,
    ]);
  });

  it("leaves foreign errors to isRetryableError, which reads their wording (retryTransport's default)", () => {
    const foreign = new TypeError('Failed to fetch');
    expect(isRetryableError(foreign)).toBe(true);
    expect(isRetryableCambError(foreign)).toBe(false);
  });
});
