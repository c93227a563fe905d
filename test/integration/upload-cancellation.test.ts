import { once } from 'node:events';
import { createServer, Socket, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { transcribe$ } from '../../src/index.js';
import { record, sleep, useIntegrationHarness } from '../_helpers/integration-harness.js';

useIntegrationHarness();

/** One connection as a raw server saw it. */
interface Connection {
  readonly socket: Socket;
  bytes: number;
  endedAt: number | undefined;
}

/** Sockets of this process connected to `port`: the client's side of its connections. */
function clientSocketsTo(port: number): Socket[] {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((handle): handle is Socket => handle instanceof Socket && handle.remotePort === port && !handle.destroyed);
}

describe('upload cancellation against a raw server that stops reading', () => {
  it('unsubscribing transcribe$ mid 8 MiB upload drops the connection at once: the server gets the bytes already buffered, then the end', { timeout: 15_000 }, async () => {
    const connections: Connection[] = [];
    const server = createServer((socket) => {
      const connection: Connection = { socket, bytes: 0, endedAt: undefined };
      connections.push(connection);
      socket.pause(); // not reading: the upload stalls once the socket buffers are full
      socket.on('data', (chunk: Buffer) => (connection.bytes += chunk.length));
      socket.on('end', () => (connection.endedAt = performance.now()));
      socket.on('error', () => (connection.endedAt ??= performance.now()));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const size = 8 * 1024 * 1024;
    try {
      const run = record(transcribe$({ mediaFile: new Uint8Array(size), language: 1 }, { apiKey: 'k', baseUrl: `http://127.0.0.1:${port}/apis`, retry: false }));
      while (connections.length === 0) await sleep(10);
      await sleep(300); // the upload is stuck behind full buffers
      expect(clientSocketsTo(port)).toHaveLength(1);

      run.subscription.unsubscribe();
      await sleep(50);
      // The client's side is gone at once: its socket was destroyed, nothing more will be written.
      expect(clientSocketsTo(port)).toEqual([]);

      // The limit (README, known limits): a server that does not read cannot see the close. TCP's
      // FIN waits behind the bytes already in the kernel's buffers; only a reset (SO_LINGER 0) would
      // overtake them, and fetch offers no way to ask for one.
      const upload = connections[0]!;
      await sleep(1000);
      expect(upload.endedAt).toBeUndefined();

      // The server, reading again, gets what the kernel had buffered (less than the file), then the
      // end of the connection at once.
      const resumedAt = performance.now();
      for (const connection of connections) connection.socket.resume();
      while (upload.endedAt === undefined && performance.now() - resumedAt < 5000) await sleep(10);
      expect(upload.endedAt).toBeDefined();
      expect(upload.bytes).toBeGreaterThan(0);
      expect(upload.bytes).toBeLessThan(size);
      // Nothing was sent on any other connection (Node's fetch may open an idle one after an abort).
      expect(connections.slice(1).map((connection) => connection.bytes)).toEqual(connections.slice(1).map(() => 0));
      expect(run.ended).toBe(false);
    } finally {
      for (const connection of connections) connection.socket.destroy();
      server.close();
      await once(server, 'close');
    }
  });
});
