import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach } from 'vitest';

/*
 * Misbehaving servers written for one test each, on 127.0.0.1:0 over real sockets: raw `node:http`
 * when the status line and headers are well formed, raw `node:net` when they must not be. Unlike
 * the simulator, they do whatever a test tells them (echo the key, never end a body, ...).
 */

/** A running hostile server. */
export interface HostileServer {
  /** `http://127.0.0.1:<port>/apis`: a `baseUrl`. */
  readonly baseUrl: string;
  /** Every request seen, in order: method, path and the `x-api-key` header. */
  readonly requests: { method: string; path: string; apiKey: string | undefined }[];
  /** Resolves when every connection the server accepted so far has closed. */
  allClosed(): Promise<void>;
}

type HttpHandler = (req: IncomingMessage, res: ServerResponse, index: number) => void;

/**
 * Starts a `node:http` server that answers every request with `handler`; it is closed (its sockets
 * destroyed) after the test.
 */
export const useHostileServers = (): ((handler: HttpHandler) => Promise<HostileServer>) => {
  const started: Server[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map(stop));
  });
  return async (handler) => {
    const requests: HostileServer['requests'] = [];
    const server = createHttpServer((req, res) => {
      const apiKey = req.headers['x-api-key'];
      requests.push({ method: req.method ?? '', path: req.url ?? '', apiKey: typeof apiKey === 'string' ? apiKey : undefined });
      handler(req, res, requests.length - 1);
    });
    return listen(server, started, requests);
  };
};

/** Starts a `node:net` server that hands every connection's first bytes to `onRequest`; closed after the test. */
export const useRawServers = (): ((onRequest: (socket: Socket, head: string) => void) => Promise<HostileServer>) => {
  const started: Server[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map(stop));
  });
  return async (onRequest) => {
    const requests: HostileServer['requests'] = [];
    const server = createNetServer((socket) => {
      socket.once('data', (data) => {
        const head = data.toString('latin1');
        const [method = '', path = ''] = head.split(' ', 2);
        requests.push({ method, path, apiKey: /^x-api-key: (.*)$/im.exec(head)?.[1]?.trim() });
        onRequest(socket, head);
      });
    });
    return listen(server, started, requests);
  };
};

const sockets = new WeakMap<Server, Set<Socket>>();

async function listen(server: Server, started: Server[], requests: HostileServer['requests']): Promise<HostileServer> {
  const open = new Set<Socket>();
  let closedAll: (() => void) | undefined;
  sockets.set(server, open);
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => {
      open.delete(socket);
      if (open.size === 0) closedAll?.();
    });
  });
  started.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/apis`,
    requests,
    allClosed: () => (open.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => (closedAll = resolve))),
  };
}

function stop(server: Server): Promise<void> {
  for (const socket of sockets.get(server) ?? []) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}
