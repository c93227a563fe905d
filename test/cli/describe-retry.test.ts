import { describe, expect, it } from 'vitest';
import { describeRetry, requestTaskId } from '../../src/cli/describe-retry.js';
import { CambHttpError, CambSchemaError, CambTransportError } from '../../src/index.js';

const http = (status: number, url = 'https://client.camb.ai/apis/transcribe/t-1') => new CambHttpError({ status, method: 'GET', url });
const transport = (failure: 'network' | 'timeout') => new CambTransportError({ failure, method: 'GET', url: 'https://client.camb.ai/apis/dub/d%20x', detail: 'ECONNRESET' });

describe('describeRetry', () => {
  it('says why, which attempt comes next, and when, in seconds', () => {
    expect(describeRetry({ error: http(503), attempt: 1, delayMs: 1234.56, serverDirected: false })).toBe('retrying (503), 2nd attempt in 1.2 s');
    expect(describeRetry({ error: http(429), attempt: 2, delayMs: 3000, serverDirected: true })).toBe('retrying (429), 3rd attempt in 3.0 s (Retry-After)');
    expect(describeRetry({ error: transport('network'), attempt: 3, delayMs: 40, serverDirected: false })).toBe('retrying (network error), 4th attempt in 0.0 s');
    expect(describeRetry({ error: transport('timeout'), attempt: 10, delayMs: 0, serverDirected: false })).toBe('retrying (request timeout), 11th attempt in 0.0 s');
    expect(describeRetry({ error: new Error('other'), attempt: 20, delayMs: 500, serverDirected: false })).toBe('retrying (error), 21st attempt in 0.5 s');
  });
});

describe('requestTaskId', () => {
  it('reads the task id from the path of the request that failed', () => {
    expect(requestTaskId(http(503))).toBe('t-1');
    expect(requestTaskId(transport('network'))).toBe('d x');
  });

  it('is undefined when the error names no request', () => {
    expect(requestTaskId(new Error('x'))).toBeUndefined();
    expect(requestTaskId(new CambSchemaError({ url: 'https://client.camb.ai/apis/transcribe/t-1', problem: 'not JSON', bodyExcerpt: '<html>' }))).toBeUndefined();
  });
});
