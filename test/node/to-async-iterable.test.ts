import { Observable, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { isCambHttpError, transcriptionStatus$ } from '../../src/index.js';
import { toAsyncIterable } from '../../src/node/index.js';
import { useSimulators } from '../_helpers/simulator-harness.js';

/** Runs a loop over `iterable`, at most `max` turns, and returns the values. */
async function collect<T>(iterable: AsyncIterable<T>, max = 1000): Promise<T[]> {
  const values: T[] = [];
  for await (const value of iterable) {
    values.push(value);
    if (values.length >= max) break;
  }
  return values;
}

describe('toAsyncIterable', () => {
  it('is cold: subscribes at the first next(), anew for each loop', async () => {
    const source = new Subject<number>();
    const iterable = toAsyncIterable(source);
    const iterator = iterable[Symbol.asyncIterator]();
    expect(source.observed).toBe(false);
    const first = iterator.next();
    expect(source.observed).toBe(true);
    source.next(1);
    await expect(first).resolves.toEqual({ done: false, value: 1 });
    await iterator.return?.();
    expect(source.observed).toBe(false);
    const second = collect(iterable);
    source.next(2);
    source.complete();
    expect(await second).toEqual([2]);
  });

  it('buffers values that arrive while the loop body runs, in order, then ends', async () => {
    const source = new Subject<number>();
    const seen: number[] = [];
    const loop = (async () => {
      for await (const value of toAsyncIterable(source)) {
        seen.push(value);
        if (value === 1) for (let i = 2; i <= 5; i += 1) source.next(i); // while the body runs
        if (value === 5) source.complete();
      }
    })();
    source.next(1);
    await loop;
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it('rethrows the error in the loop, after the values that came before it', async () => {
    const source = new Subject<number>();
    const seen: number[] = [];
    const loop = (async () => {
      for await (const value of toAsyncIterable(source)) seen.push(value);
    })();
    source.next(1);
    source.next(2);
    source.error(new Error('boom'));
    await expect(loop).rejects.toThrow('boom');
    expect(seen).toEqual([1, 2]);
  });

  it('return() with a next() waiting ends both and unsubscribes', async () => {
    const source = new Subject<number>();
    const iterator = toAsyncIterable(source)[Symbol.asyncIterator]();
    const waiting = iterator.next();
    await expect(iterator.return?.()).resolves.toEqual({ done: true, value: undefined });
    await expect(waiting).resolves.toEqual({ done: true, value: undefined });
    expect(source.observed).toBe(false);
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('return() after an error not yet handed out drops it', async () => {
    const source = new Subject<number>();
    const iterator = toAsyncIterable(source)[Symbol.asyncIterator]();
    const first = iterator.next();
    source.next(1);
    source.error(new Error('boom'));
    expect(await first).toEqual({ done: false, value: 1 });
    await iterator.return?.();
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it("bufferSize with overflow 'error': unsubscribes, hands out the buffered values, then throws RangeError", async () => {
    const source = new Subject<number>();
    const iterator = toAsyncIterable(source, { bufferSize: 2 })[Symbol.asyncIterator]();
    const next = iterator.next();
    for (let i = 1; i <= 4; i += 1) source.next(i); // 1 goes to the waiting next(), 2 and 3 are buffered, 4 overflows
    expect(source.observed).toBe(false);
    expect(await next).toEqual({ done: false, value: 1 });
    expect(await iterator.next()).toEqual({ done: false, value: 2 });
    expect(await iterator.next()).toEqual({ done: false, value: 3 });
    await expect(iterator.next()).rejects.toThrow(RangeError);
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('stops a synchronous source at the overflow, before it has finished emitting', async () => {
    let emitted = 0;
    const source = new Observable<number>((subscriber) => {
      for (let i = 0; i < 1e9 && !subscriber.closed; i += 1) {
        emitted += 1;
        subscriber.next(i);
      }
    });
    await expect(collect(toAsyncIterable(source, { bufferSize: 2 }))).rejects.toThrow(RangeError);
    expect(emitted).toBe(3); // emitted during the first next(): 2 buffered, 1 overflowing
  });

  it("overflow 'drop-oldest' keeps the latest values", async () => {
    const source = new Subject<number>();
    const iterator = toAsyncIterable(source, { bufferSize: 1, overflow: 'drop-oldest' })[Symbol.asyncIterator]();
    const first = iterator.next();
    for (let i = 1; i <= 5; i += 1) source.next(i);
    source.complete();
    expect(await first).toEqual({ done: false, value: 1 });
    expect(await iterator.next()).toEqual({ done: false, value: 5 });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('refuses bad options at call time', () => {
    const source = new Subject<number>();
    expect(() => toAsyncIterable(source, { bufferSize: 0 })).toThrow(/bufferSize/);
    expect(() => toAsyncIterable(source, { bufferSize: 1.5 })).toThrow(TypeError);
    expect(() => toAsyncIterable(source, { overflow: 'drop-newest' as never })).toThrow(/overflow/);
    expect(() => toAsyncIterable({} as never)).toThrow(/an Observable/);
    expect(() => toAsyncIterable(source, { bufferSize: undefined, overflow: undefined })).not.toThrow();
  });
});

describe('toAsyncIterable over a status stream (simulator)', () => {
  const start = useSimulators();

  it('loops over the statuses until SUCCESS', async () => {
    const simulator = await start({ tasks: [{ id: 't', pendingPolls: 2, outcome: { status: 'SUCCESS', runId: 7 } }] });
    const statuses = await collect(toAsyncIterable(transcriptionStatus$('t', { apiKey: simulator.apiKey, baseUrl: simulator.url, interval: 5, minIntervalMs: 0 })));
    expect(statuses.map((s) => s.status)).toEqual(['PENDING', 'PENDING', 'SUCCESS']);
    expect(statuses.at(-1)).toMatchObject({ done: true, runId: 7, poll: 3 });
  });

  it('break unsubscribes: the request in flight is closed and nothing more is sent', async () => {
    const simulator = await start({ tasks: [{ id: 't', pendingPolls: 1000, faults: { 2: { type: 'hang' } } }] });
    const status$ = transcriptionStatus$('t', { apiKey: simulator.apiKey, baseUrl: simulator.url, interval: 5, minIntervalMs: 0 });
    let hanging;
    for await (const status of toAsyncIterable(status$)) {
      expect(status.status).toBe('PENDING');
      hanging = await simulator.waitForRequest((e) => e.route === 'status' && e.fault?.type === 'hang');
      break;
    }
    const closed = await simulator.waitForClose(hanging!, 2000);
    expect(closed.closedByClient).toBe(true);
    const sent = simulator.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(simulator.requests.length).toBe(sent);
    expect(simulator.stats.inFlight).toBe(0);
  });

  it('a throw in the loop body unsubscribes too', async () => {
    const simulator = await start({ tasks: [{ id: 't', pendingPolls: 1000, faults: { 2: { type: 'hang' } } }] });
    const status$ = transcriptionStatus$('t', { apiKey: simulator.apiKey, baseUrl: simulator.url, interval: 5, minIntervalMs: 0 });
    const hanging = simulator.waitForRequest((e) => e.route === 'status' && e.fault?.type === 'hang');
    const loop = (async () => {
      for await (const _ of toAsyncIterable(status$)) {
        await hanging;
        throw new Error('stop');
      }
    })();
    await expect(loop).rejects.toThrow('stop');
    await expect(simulator.waitForClose(await hanging, 2000)).resolves.toMatchObject({ closedByClient: true });
  });

  it('rethrows the stream error in the loop (401 → CambHttpError)', async () => {
    const simulator = await start({ tasks: [{ id: 't' }] });
    const error = await collect(toAsyncIterable(transcriptionStatus$('t', { apiKey: 'wrong-key', baseUrl: simulator.url }))).catch((e: unknown) => e);
    expect(isCambHttpError(error) && error.status).toBe(401);
  });
});
