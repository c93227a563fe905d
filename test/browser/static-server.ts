import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';

/** A running {@link startStaticServer}. */
export interface StaticServer {
  /** The origin, `http://127.0.0.1:{port}`. */
  readonly origin: string;
  close(): Promise<void>;
}

const contentTypes: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * A tiny static server on `127.0.0.1:0` for the browser test: `/` answers `html`, and
 * `/{dir}/...` answers files below the allowed directories only. Like a dev server it answers an
 * extensionless path with its `.js` file, because rxjs's ESM build imports `./internal/Observable`
 * without an extension, as bundlers accept but browsers do not.
 *
 * @param root - the directory the URL paths start from (the repository)
 * @param allowed - directories below `root` that may be served, e.g. `['dist', 'node_modules/rxjs']`
 * @param html - the page served at `/`
 * @returns the running server
 */
export function startStaticServer(root: string, allowed: readonly string[], html: () => string): Promise<StaticServer> {
  const roots = allowed.map((dir) => resolve(root, dir) + sep);
  const find = async (pathname: string): Promise<string | undefined> => {
    const file = resolve(root, `.${decodeURIComponent(pathname)}`);
    if (!roots.some((dir) => file.startsWith(dir))) return undefined;
    for (const candidate of [file, `${file}.js`, `${file}/index.js`]) {
      if (await stat(candidate).then((s) => s.isFile(), () => false)) return candidate;
    }
    return undefined;
  };
  const server: Server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET') return void res.writeHead(405).end();
    if (pathname === '/') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html());
    find(pathname)
      .then(async (file) => {
        if (!file) return void res.writeHead(404).end();
        const type = contentTypes[extname(file)] ?? 'application/octet-stream';
        res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(await readFile(file));
      })
      .catch(() => res.writeHead(500).end());
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolvePromise({
        origin: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
