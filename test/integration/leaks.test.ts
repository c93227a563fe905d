import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { startCambSimulator } from '../../src/testing/index.js';
import {
  expectNoLeakedResources,
  expectNoUnhandledRejection,
  resourceBaseline,
  resourcesAbove,
  trackUnhandledRejections,
} from '../_helpers/leaks.js';

/** The helpers of test/_helpers/leaks.ts prove something only if they can fail: these show they do. */
describe('leak helper self-test', () => {
  it('detects a leaked setTimeout, and passes once it is cleared', async () => {
    const baseline = resourceBaseline();
    const leaked = setTimeout(() => undefined, 60_000);
    try {
      const above = resourcesAbove(baseline);
      expect([...above]).toEqual([['Timeout', 1]]);
      expect(above.timers).toEqual([expect.stringContaining('leaks.test.ts')]);
      await expect(expectNoLeakedResources(baseline, { timeoutMs: 50 })).rejects.toThrow(/leaked resources.*Timeout ×1.*created at: .*leaks\.test\.ts/);
    } finally {
      clearTimeout(leaked);
    }
    await expectNoLeakedResources(baseline);
  });

  it('detects a leaked setInterval (what an RxJS asyncScheduler timer is)', async () => {
    const baseline = resourceBaseline();
    const leaked = setInterval(() => undefined, 60_000);
    try {
      await expect(expectNoLeakedResources(baseline, { timeoutMs: 50 })).rejects.toThrow(/Timeout ×1/);
    } finally {
      clearInterval(leaked);
    }
    await expectNoLeakedResources(baseline);
  });

  it('detects an RxJS timer that was never unsubscribed, and passes once it is', async () => {
    const baseline = resourceBaseline();
    const subscription = timer(60_000).subscribe();
    try {
      await expect(expectNoLeakedResources(baseline, { timeoutMs: 50 })).rejects.toThrow(/Timeout ×1.*created at: .*rxjs/);
    } finally {
      subscription.unsubscribe();
    }
    await expectNoLeakedResources(baseline);
  });

  it('detects a leaked open socket (and a listening server), and passes once both are closed', async () => {
    const baseline = resourceBaseline();
    const accepted: Socket[] = [];
    const server = createServer((socket) => accepted.push(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(client, 'connect');
    try {
      const error = await expectNoLeakedResources(baseline, { timeoutMs: 50 }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(/TCPSocketWrap ×[12]/);
      expect(error?.message).toMatch(/TCPServerWrap ×1/);

      // Only the types asked for: the server alone is not a "Timeout" leak.
      await expectNoLeakedResources(baseline, { types: ['Timeout', 'Immediate'], timeoutMs: 50 });
    } finally {
      client.destroy();
      for (const socket of accepted) socket.destroy();
      server.close();
    }
    await expectNoLeakedResources(baseline);
  });

  it('detects a socket left open by a fetch whose server was never closed (the real failure mode)', async () => {
    const baseline = resourceBaseline();
    const simulator = await startCambSimulator({ tasks: [{ id: 't' }] });
    try {
      const res = await fetch(`${simulator.url}/transcribe/t`, { headers: { 'x-api-key': simulator.apiKey } });
      await res.text();
      // The keep-alive socket of the fetch and the simulator's listening socket are both still there.
      await expect(expectNoLeakedResources(baseline, { timeoutMs: 50 })).rejects.toThrow(/TCPSocketWrap|TCPServerWrap/);
    } finally {
      await simulator.close();
    }
    await expectNoLeakedResources(baseline);
  });

  it('sees an unhandled rejection, and removes its listener when stopped', async () => {
    // Vitest's own listener would report the deliberate rejection below as a failure of the run;
    // it is detached for this test only and put back in `finally`.
    const others = process.listeners('unhandledRejection');
    for (const listener of others) process.off('unhandledRejection', listener);
    const before = process.listenerCount('unhandledRejection');
    try {
      const tracker = trackUnhandledRejections();
      expect(process.listenerCount('unhandledRejection')).toBe(before + 1);
      const reason = new Error('nobody handles me');
      void Promise.reject(reason);
      await expect(expectNoUnhandledRejection(tracker)).rejects.toThrow(/1 unhandled rejection\(s\).*nobody handles me/);
      expect(tracker.reasons).toEqual([reason]);
      expect(process.listenerCount('unhandledRejection')).toBe(before);
    } finally {
      for (const listener of others) process.on('unhandledRejection', listener);
    }
  });

  it('passes when every rejection is handled', async () => {
    const tracker = trackUnhandledRejections();
    const handled = Promise.reject(new Error('handled'));
    await handled.catch(() => undefined);
    await expectNoUnhandledRejection(tracker);
    expect(tracker.reasons).toEqual([]);
  });
});
