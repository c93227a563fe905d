import { once } from 'node:events';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Subject, from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { isCambHttpError, mergeTasks, transcriptionStatus$, type TaskStatus } from '../../src/index.js';
import { toReadable } from '../../src/node/index.js';
import { useSimulators } from '../_helpers/simulator-harness.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A Writable that keeps what it is given. */
function sink<T>(): { stream: Writable; values: T[] } {
  const values: T[] = [];
  const stream = new Writable({
    objectMode: true,
    write(value: T, _encoding, done) {
      values.push(value);
      done();
    },
  });
  return { stream, values };
}

describe('toReadable', () => {
  it('subscribes when first read, and takes values only up to highWaterMark while nobody reads', async () => {
    const source = new Subject<number>();
    const readable = toReadable(source, { highWaterMark: 2 });
    expect(source.observed).toBe(false);
    readable.read(0); // starts the flow
    await tick();
    expect(source.observed).toBe(true);
    for (let i = 1; i <= 10; i += 1) source.next(i);
    await tick();
    expect(readable.readableObjectMode).toBe(true);
    expect(readable.readableLength).toBe(2); // the other 8 wait in the subscription's buffer
    source.complete();
    expect(await readable.toArray()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('with a bounded buffer, a consumer too slow makes the stream fail with RangeError', async () => {
    const source = new Subject<number>();
    const readable = toReadable(source, { highWaterMark: 1, bufferSize: 3 });
    readable.read(0);
    await tick();
    for (let i = 1; i <= 10; i += 1) source.next(i);
    expect(source.observed).toBe(false); // unsubscribed at the overflow
    await expect(readable.toArray()).rejects.toThrow(RangeError);
  });

  it('destroy() unsubscribes', async () => {
    const source = new Subject<number>();
    const readable = toReadable(source);
    readable.resume();
    await tick();
    expect(source.observed).toBe(true);
    readable.destroy();
    await once(readable, 'close');
    expect(source.observed).toBe(false);
  });

  it('is destroyed with the observable’s error', async () => {
    const source = new Subject<number>();
    const readable = toReadable(source);
    const piped = pipeline(readable, sink<number>().stream);
    await tick();
    source.next(1);
    source.error(new Error('boom'));
    await expect(piped).rejects.toThrow('boom');
    expect(readable.destroyed).toBe(true);
  });
});

describe('toReadable over camb-rx streams (simulator)', () => {
  const start = useSimulators();

  it('pipes the statuses of many tasks into a Writable', async () => {
    const simulator = await start({ tasks: ['a', 'b', 'c'].map((id) => ({ id, pendingPolls: 1 })) });
    const options = { apiKey: simulator.apiKey, baseUrl: simulator.url, interval: 5, minIntervalMs: 0, maxConcurrentRequests: 2 };
    const { stream, values } = sink<TaskStatus>();
    await pipeline(toReadable(from(['a', 'b', 'c']).pipe(mergeTasks(options)), { highWaterMark: 1 }), stream);
    expect(values.filter((s) => s.done).map((s) => `${s.taskId}:${s.status}`).sort()).toEqual(['a:SUCCESS', 'b:SUCCESS', 'c:SUCCESS']);
    expect(values).toHaveLength(6);
  });

  it('destroying the Readable closes the request in flight; nothing more is sent', async () => {
    const simulator = await start({ tasks: [{ id: 't', pendingPolls: 1000, faults: { 2: { type: 'hang' } } }] });
    const readable = toReadable(transcriptionStatus$('t', { apiKey: simulator.apiKey, baseUrl: simulator.url, interval: 5, minIntervalMs: 0 }));
    const [first] = (await once(readable, 'data')) as [TaskStatus];
    expect(first.status).toBe('PENDING');
    const hanging = await simulator.waitForRequest((e) => e.route === 'status' && e.fault?.type === 'hang');
    readable.destroy();
    await expect(simulator.waitForClose(hanging, 2000)).resolves.toMatchObject({ closedByClient: true });
    const sent = simulator.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(simulator.requests.length).toBe(sent);
  });

  it('a stream error reaches pipeline() (401 → CambHttpError)', async () => {
    const simulator = await start({ tasks: [{ id: 't' }] });
    const readable = toReadable(transcriptionStatus$('t', { apiKey: 'wrong-key', baseUrl: simulator.url }));
    const error = await pipeline(readable, sink().stream).catch((e: unknown) => e);
    expect(isCambHttpError(error) && error.status).toBe(401);
  });
});
