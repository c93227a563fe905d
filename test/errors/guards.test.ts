import { describe, expect, it } from 'vitest';
import {
  CambErrorCodes,
  CambHttpError,
  CambMergeError,
  CambSchemaError,
  CambTaskFailedError,
  CambTimeoutError,
  CambTransportError,
  isCambError,
  isCambHttpError,
  isCambMergeError,
  isCambSchemaError,
  isCambTaskFailedError,
  isCambTimeoutError,
  isCambTransportError,
} from '../../src/index.js';
import { taskStatus } from '../_helpers/statuses.js';

/** One of each error, with the guard that must recognise it and no other. */
const errors = [
  { error: new CambHttpError({ status: 404, method: 'GET', url: 'https://x/apis/transcribe/t1' }), guard: isCambHttpError },
  { error: new CambTransportError({ failure: 'network', method: 'GET', url: 'https://x/apis/transcribe/t1', detail: 'fetch failed' }), guard: isCambTransportError },
  { error: new CambSchemaError({ url: 'https://x/apis/transcribe/t1', problem: 'body is not JSON', bodyExcerpt: '<html>' }), guard: isCambSchemaError },
  { error: new CambTimeoutError({ taskId: 't1', timeoutMs: 1000 }), guard: isCambTimeoutError },
  { error: new CambTaskFailedError(taskStatus('ERROR', { done: true })), guard: isCambTaskFailedError },
  { error: new CambMergeError([]), guard: isCambMergeError },
];
const guards = errors.map(({ guard }) => guard);

/** The same error as another copy of camb-rx (the CJS build beside the ESM one) makes it: another class, same name and code. */
function fromOtherCopy(error: Error & { code: string }): Error {
  const OtherCopy = class extends Error {
    readonly code = error.code;
    override readonly name = error.name;
  };
  return new OtherCopy(error.message);
}

describe('the error guards', () => {
  it.each(errors.map(({ error, guard }) => [error.name, error, guard] as const))('%s: its own guard and isCambError, no other', (_name, error, own) => {
    expect(isCambError(error)).toBe(true);
    for (const guard of guards) expect(guard(error), guard.name).toBe(guard === own);
  });

  it.each(errors.map(({ error, guard }) => [error.name, error, guard] as const))('%s from another copy of camb-rx is recognised too', (_name, error, own) => {
    const copy = fromOtherCopy(error);
    expect(copy).not.toBeInstanceOf(error.constructor);
    expect(isCambError(copy)).toBe(true);
    for (const guard of guards) expect(guard(copy), guard.name).toBe(guard === own);
  });

  it('gives every class its own code, all of CambErrorCodes', () => {
    expect(new Set(errors.map(({ error }) => error.code))).toEqual(new Set(Object.values(CambErrorCodes)));
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'CambHttpError'],
    ['a plain object with the name and code', { name: 'CambHttpError', code: CambErrorCodes.http, status: 404 }],
    ['an Error with the name but another code', Object.assign(new Error('x'), { name: 'CambHttpError', code: 'E_OTHER' })],
    ['an Error with the code but a foreign name', Object.assign(new Error('x'), { name: 'HttpError', code: CambErrorCodes.http })],
    ['an Error with the name but no code', Object.assign(new Error('x'), { name: 'CambTimeoutError' })],
    ['a TypeError', new TypeError('fetch failed')],
  ])('recognises no lookalike: %s', (_name, value) => {
    for (const guard of [isCambError, ...guards]) expect(guard(value), guard.name).toBe(false);
  });

  it('does not mistake one class for another with a swapped name and code', () => {
    const swapped = Object.assign(new Error('x'), { name: 'CambHttpError', code: CambErrorCodes.transport });
    expect(isCambHttpError(swapped)).toBe(false);
    expect(isCambTransportError(swapped)).toBe(false);
  });

  it('holds an optional field only when given: no own property set to undefined', () => {
    const [http, transport, , timeout, failed] = errors.map(({ error }) => error);
    expect(Object.keys(http!)).toEqual(['code', 'name', 'status', 'method', 'url']);
    expect(Object.keys(transport!)).toEqual(['code', 'name', 'failure', 'method', 'url']);
    expect(Object.keys(timeout!)).toEqual(['code', 'name', 'taskId', 'timeoutMs']);
    expect(Object.keys(failed!)).toEqual(['code', 'name', 'taskId', 'status', 'taskStatus']);
  });
});
