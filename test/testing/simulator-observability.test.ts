import { describe, expect, it } from 'vitest';
import { startCambSimulator } from '../../src/testing/index.js';
import { simFetch, useSimulators } from '../_helpers/simulator-harness.js';

const start = useSimulators();

/** Counts the active resources of the kinds a simulator (and a client talking to it) creates. */
function ownResources(): Record<string, number> {
  const counts: Record<string, number> = { TCPServerWrap: 0, TCPSocketWrap: 0, Timeout: 0 };
  for (const name of process.getActiveResourcesInfo()) {
    if (name in counts) counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** Polls (bounded) until `check` holds, letting sockets finish closing on both sides. */
async function eventually(check: () => boolean, attempts = 100): Promise<boolean> {
  for (let i = 0; i < attempts; i += 1) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return check();
}

describe('request log', () => {
  it('records method, path, query, route, ids, status and timings', async () => {
    const simulator = await start({ tasks: [{ id: 't', kind: 'dub' }] });
    await simFetch(simulator, '/dub/t?run_id=3');
    const entry = await simulator.waitForRequest((e) => e.finishedAt !== undefined);
    expect(entry).toMatchObject({
      seq: 1,
      method: 'GET',
      path: '/apis/dub/t',
      query: { run_id: '3' },
      route: 'status',
      kind: 'dub',
      taskId: 't',
      hasValidKey: true,
      status: 200,
      closedByClient: false,
    });
    expect(entry.finishedAt).toBeGreaterThanOrEqual(entry.startedAt);
    expect(entry.fault).toBeUndefined();
  });

  it('requests is a copy of the log', async () => {
    const simulator = await start();
    const before = simulator.requests;
    await simFetch(simulator, '/x');
    expect(before).toHaveLength(0);
    expect(simulator.requests).toHaveLength(1);
  });
});

describe('waitForRequest', () => {
  it('resolves with an entry already logged', async () => {
    const simulator = await start();
    await simFetch(simulator, '/a');
    await simFetch(simulator, '/b');
    const entry = await simulator.waitForRequest((e) => e.path === '/apis/b', 100);
    expect(entry.seq).toBe(2);
  });

  it('resolves with a later entry, re-checking entries as they change', async () => {
    const simulator = await start({ tasks: [{ id: 't' }] });
    simulator.injectFault({ type: 'delay', ms: 80 });
    const answered = simulator.waitForRequest((e) => e.status === 200);
    const arrived = simulator.waitForRequest();
    const response = simFetch(simulator, '/transcribe/t');
    const first = await arrived;
    expect(first.status).toBeUndefined();
    const done = await answered;
    expect(done).toBe(first);
    expect(done.status).toBe(200);
    await response;
  });

  it('rejects on timeout, and throws at call time for a bad argument', async () => {
    const simulator = await start();
    await expect(simulator.waitForRequest((e) => e.method === 'DELETE', 30)).rejects.toThrow(/within 30 ms/);
    expect(() => simulator.waitForRequest(() => true, -1)).toThrow(TypeError);
    expect(() => simulator.waitForRequest('x' as never)).toThrow(TypeError);
  });

  it('rejects pending waits when the simulator closes', async () => {
    const simulator = await startCambSimulator();
    const waiting = expect(simulator.waitForRequest(() => false, 10_000)).rejects.toThrow(/closed/);
    await simulator.close();
    await waiting;
    await expect(simulator.waitForRequest()).rejects.toThrow(/closed/);
  });
});

describe('waitForClose', () => {
  it('rejects for a request that was answered', async () => {
    const simulator = await start();
    await simFetch(simulator, '/x');
    const entry = await simulator.waitForRequest((e) => e.finishedAt !== undefined);
    await expect(simulator.waitForClose(entry)).rejects.toThrow(/ended without the client closing it/);
  });

  it('resolves when an aborted client closes a dripping answer mid-body', async () => {
    const simulator = await start({ tasks: [{ id: 't' }] });
    simulator.injectFault({ type: 'drip', bytesPerChunk: 1, chunkIntervalMs: 20 });
    const controller = new AbortController();
    const res = await simFetch(simulator, '/transcribe/t', { signal: controller.signal });
    const entry = await simulator.waitForRequest();
    expect(entry.status).toBe(200);
    controller.abort();
    await expect(res.text()).rejects.toThrow();
    expect((await simulator.waitForClose(entry)).closedByClient).toBe(true);
  });

  it('rejects on timeout and for an entry of another simulator', async () => {
    const simulator = await start({ tasks: [{ id: 't' }] });
    const other = await start();
    simulator.injectFault({ type: 'hang' });
    const controller = new AbortController();
    const pending = simFetch(simulator, '/transcribe/t', { signal: controller.signal }).catch(() => undefined);
    const entry = await simulator.waitForRequest();
    await expect(simulator.waitForClose(entry, 30)).rejects.toThrow(/not closed by the client within 30 ms/);
    expect(() => other.waitForClose(entry)).toThrow(TypeError);
    controller.abort();
    await pending;
  });
});

describe('stats', () => {
  it('counts concurrency with delayed answers, and resets', async () => {
    const simulator = await start({ tasks: [{ id: 't' }] });
    simulator.injectFault({ type: 'delay', ms: 300 }, { times: 3 });
    await Promise.all([1, 2, 3].map(() => simFetch(simulator, '/transcribe/t').then((res) => res.json())));
    expect(simulator.stats).toEqual({ total: 3, inFlight: 0, maxInFlight: 3, maxPerSecond: 3 });
    await simFetch(simulator, '/transcribe/t');
    expect(simulator.stats.maxInFlight).toBe(3);
    simulator.resetStats();
    expect(simulator.stats).toEqual({ total: 0, inFlight: 0, maxInFlight: 0, maxPerSecond: 0 });
    await simFetch(simulator, '/transcribe/t');
    expect(simulator.stats).toEqual({ total: 1, inFlight: 0, maxInFlight: 1, maxPerSecond: 1 });
  });

  it('maxPerSecond counts arrivals within a sliding 1000 ms window', async () => {
    const simulator = await start({ tasks: [{ id: 't' }] });
    for (let i = 0; i < 5; i += 1) await simFetch(simulator, '/transcribe/t');
    expect(simulator.stats.maxPerSecond).toBe(5);
    expect(simulator.stats.maxInFlight).toBe(1);
  });

  it('a request still in flight at reset stays counted as in flight', async () => {
    const simulator = await start({ tasks: [{ id: 't' }] });
    simulator.injectFault({ type: 'delay', ms: 100 });
    const response = simFetch(simulator, '/transcribe/t');
    await simulator.waitForRequest();
    simulator.resetStats();
    expect(simulator.stats).toMatchObject({ total: 0, inFlight: 1, maxInFlight: 1 });
    await response;
    expect(simulator.stats.inFlight).toBe(0);
  });
});

describe('close', () => {
  it('ends hanging, delayed and dripping requests, clears its timers and leaves no handle behind', async () => {
    const baseline = ownResources();
    const simulator = await startCambSimulator({ tasks: [{ id: 't' }] });
    simulator.injectFault({ type: 'hang' });
    simulator.injectFault({ type: 'delay', ms: 60_000 });
    simulator.injectFault({ type: 'drip', bytesPerChunk: 1, chunkIntervalMs: 60_000 });
    const hanging = simFetch(simulator, '/transcribe/t').then(() => 'answered', () => 'failed');
    const delayed = simFetch(simulator, '/transcribe/t').then(() => 'answered', () => 'failed');
    const dripping = simFetch(simulator, '/transcribe/t').then((res) => res.text()).then(() => 'answered', () => 'failed');
    await simulator.waitForRequest((e) => e.seq === 3 && e.status === 200);
    await simulator.waitForRequest((e) => e.seq === 2);
    const during = ownResources();
    expect(during.TCPServerWrap).toBe((baseline.TCPServerWrap ?? 0) + 1);
    expect(during.TCPSocketWrap).toBeGreaterThanOrEqual((baseline.TCPSocketWrap ?? 0) + 6);
    expect(during.Timeout).toBeGreaterThanOrEqual((baseline.Timeout ?? 0) + 2);
    expect(simulator.openConnections).toBe(3);

    await simulator.close();
    // Server side: nothing left the moment close() resolves (the 60 s timers included).
    const after = ownResources();
    expect(after.TCPServerWrap).toBe(baseline.TCPServerWrap);
    expect(after.Timeout).toBe(baseline.Timeout);
    expect(simulator.openConnections).toBe(0);
    expect(await Promise.all([hanging, delayed, dripping])).toEqual(['failed', 'failed', 'failed']);
    expect(simulator.requests.map((entry) => entry.closedByClient)).toEqual([false, false, false]);
    // Client side: fetch's sockets go once they have seen the connections end.
    expect(await eventually(() => JSON.stringify(ownResources()) === JSON.stringify(baseline))).toBe(true);
  });

  it('leaves no handle behind the moment close() resolves, even with no connection', async () => {
    const baseline = process.getActiveResourcesInfo().filter((name) => name !== 'TTYWrap');
    const simulator = await startCambSimulator();
    expect(process.getActiveResourcesInfo()).toContain('TCPServerWrap');
    await simulator.close();
    expect(process.getActiveResourcesInfo().filter((name) => name !== 'TTYWrap')).toEqual(baseline);
  });

  it('also closes idle keep-alive connections', async () => {
    const baseline = ownResources();
    const simulator = await startCambSimulator();
    await (await simFetch(simulator, '/x')).text();
    expect(simulator.openConnections).toBe(1);
    await simulator.close();
    expect(simulator.openConnections).toBe(0);
    expect(await eventually(() => JSON.stringify(ownResources()) === JSON.stringify(baseline))).toBe(true);
  });

  it('is idempotent and works through Symbol.asyncDispose', async () => {
    const simulator = await startCambSimulator();
    const first = simulator.close();
    expect(simulator.close()).toBe(first);
    await first;
    await simulator[Symbol.asyncDispose]();
    await expect(fetch(`${simulator.url}/x`)).rejects.toThrow();
  });
});
