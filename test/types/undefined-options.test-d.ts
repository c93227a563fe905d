import { describe, expectTypeOf, it } from 'vitest';
import type {
  BatchOptions,
  BudgetOptions,
  CambOptions,
  MergeOptions,
  PollOptions,
  ResultOptions,
  RetryOptions,
  TranscribeOptions,
  TranscriptionRequest,
} from '../../src/index.js';
import type { AsyncIterableOptions, ReadableOptions } from '../../src/node/index.js';
import type { CambSimulatorOptions, HttpFault, InjectFaultOptions, RandomFaultsOptions, SimulatedTask } from '../../src/testing/index.js';

/** The value of an unset environment variable, as `process.env.X` types it. */
declare const unset: string | undefined;
declare const maybeNumber: number | undefined;

/** Every optional field of `T` also takes `undefined` (under exactOptionalPropertyTypes). */
type TakesUndefined<T> = { [K in keyof T]-?: undefined extends T[K] ? true : false };
type AllTrue<T> = T[keyof T] extends true ? true : false;

describe('an option set to undefined keeps its default (README), so every options type accepts it', () => {
  it('baseUrl: process.env.X compiles', () => {
    const options: CambOptions = { apiKey: 'k', baseUrl: unset, requestTimeoutMs: maybeNumber };
    expectTypeOf(options).toExtend<CambOptions>();
    expectTypeOf({ apiKey: 'k', interval: maybeNumber, timeoutMs: undefined, signal: undefined }).toExtend<PollOptions>();
    expectTypeOf({ apiKey: 'k', interval: { initialMs: maybeNumber, maxMs: undefined } }).toExtend<PollOptions>();
  });

  it('every optional field of every public options type takes undefined', () => {
    expectTypeOf<AllTrue<TakesUndefined<Omit<CambOptions, 'apiKey'>>>>().toEqualTypeOf<true>();
    expectTypeOf<AllTrue<TakesUndefined<Omit<PollOptions, 'apiKey'>>>>().toEqualTypeOf<true>();
    expectTypeOf<AllTrue<TakesUndefined<RetryOptions>>>().toEqualTypeOf<true>();
    expectTypeOf<AllTrue<TakesUndefined<BudgetOptions>>>().toEqualTypeOf<true>();
    expectTypeOf<AllTrue<TakesUndefined<MergeOptions>>>().toEqualTypeOf<true>();
    expectTypeOf<AllTrue<TakesUndefined<Omit<BatchOptions, 'apiKey'>>>>().toEqualTypeOf<true>();
    expectTypeOf<AllTrue<TakesUndefined<Omit<ResultOptions, 'apiKey'>>>>().toEqualTypeOf<true>();
    expectTypeOf<AllTrue<TakesUndefined<Omit<TranscribeOptions, 'apiKey'>>>>().toEqualTypeOf<true>();
    expectTypeOf<AllTrue<TakesUndefined<Omit<TranscriptionRequest, 'language'>>>>().toEqualTypeOf<true>();
    expectTypeOf<AllTrue<TakesUndefined<AsyncIterableOptions>>>().toEqualTypeOf<true>();
    expectTypeOf<AllTrue<TakesUndefined<ReadableOptions>>>().toEqualTypeOf<true>();
    expectTypeOf<AllTrue<TakesUndefined<CambSimulatorOptions>>>().toEqualTypeOf<true>();
    expectTypeOf<AllTrue<TakesUndefined<InjectFaultOptions>>>().toEqualTypeOf<true>();
    expectTypeOf<AllTrue<TakesUndefined<Omit<RandomFaultsOptions, 'rate' | 'faults'>>>>().toEqualTypeOf<true>();
    expectTypeOf<AllTrue<TakesUndefined<SimulatedTask>>>().toEqualTypeOf<true>();
    expectTypeOf<AllTrue<TakesUndefined<Omit<HttpFault, 'type' | 'status'>>>>().toEqualTypeOf<true>();
  });
});
