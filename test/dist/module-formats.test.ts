import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/* These import the built package (npm test builds first), not src/: what users get. */
const require = createRequire(import.meta.url);
type Lib = typeof import('../../src/index.js');
const esm = (await import('../../dist/index.js' as string)) as Lib;
const cjs = require('../../dist/index.cjs') as Lib;

describe('the built ESM and CJS entries', () => {
  it('export the same public API', () => {
    expect(Object.keys(esm).sort()).toEqual(Object.keys(cjs).sort());
    for (const name of ['transcriptionStatus$', 'taskStatus$', 'mergeTasks', 'retryTransport', 'distinctStatus', 'throwOnFailure', 'createCambClient']) {
      expect(typeof esm[name as keyof Lib], name).toBe('function');
    }
  });

  it('recognise each other’s errors through the guards, though instanceof cannot', () => {
    const fromCjs = new cjs.CambHttpError({ status: 404, method: 'GET', url: 'https://x/apis/transcribe/t' });
    expect(fromCjs instanceof esm.CambHttpError).toBe(false);
    expect(esm.isCambHttpError(fromCjs)).toBe(true);
    expect(esm.isCambError(fromCjs)).toBe(true);
    expect(esm.isRetryableError(new cjs.CambTransportError({ failure: 'network', method: 'GET', url: 'u', detail: 'd' }))).toBe(true);
    expect(cjs.isCambTimeoutError(new esm.CambTimeoutError({ taskId: 't', timeoutMs: 1 }))).toBe(true);
    expect(esm.isCambSchemaError(fromCjs)).toBe(false);
  });

  it('load the testing entry in both formats', async () => {
    const testingEsm = await import('../../dist/testing.js' as string);
    const testingCjs = require('../../dist/testing.cjs');
    expect(typeof testingEsm.startCambSimulator).toBe('function');
    expect(typeof testingCjs.startCambSimulator).toBe('function');
  });
});
