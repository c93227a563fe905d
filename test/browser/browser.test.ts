// @vitest-environment node
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { parseAst } from 'rollup/parseAst';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCambSimulator, type CambSimulator } from '../../src/testing/index.js';
import { startStaticServer, type StaticServer } from './static-server.js';

/* This loads the BUILT package (npm test builds first): what a browser app gets from `camb-rx`. */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dist = resolve(root, 'dist');
const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Where the page finds the package's dependencies: browser-loadable ESM builds in node_modules. */
const importMap = {
  imports: {
    rxjs: '/node_modules/rxjs/dist/esm/index.js',
    tslib: '/node_modules/tslib/tslib.es6.mjs', // rxjs's ESM build imports its helpers
    'zod/mini': '/node_modules/zod/mini/index.js',
    'zod/v4/core': '/node_modules/zod/v4/core/index.js', // the status body's schema is built on zod's core
  },
};

/** The module specifiers a built file imports, statically or with `import()`, read with a parser. */
function importsOf(file: string): { static: string[]; dynamic: string[] } {
  const found = { static: [] as string[], dynamic: [] as string[] };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const { type, source } = node as { type?: string; source?: { value?: unknown } };
    if (typeof source?.value === 'string') {
      if (type === 'ImportExpression') found.dynamic.push(source.value);
      else if (type === 'ImportDeclaration' || type === 'ExportAllDeclaration' || type === 'ExportNamedDeclaration') found.static.push(source.value);
    }
    Object.values(node).forEach(visit);
  };
  visit(parseAst(readFileSync(file, 'utf8')));
  return found;
}

/** An entry's own files (itself and the chunks it imports) and what they import from outside. */
function bundleOf(entry: string): { files: string[]; external: { static: Set<string>; dynamic: Set<string> } } {
  const files: string[] = [];
  const external = { static: new Set<string>(), dynamic: new Set<string>() };
  const pending = [resolve(dist, entry)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.includes(file)) continue;
    files.push(file);
    const imports = importsOf(file);
    for (const [kind, specifiers] of Object.entries(imports) as ['static' | 'dynamic', string[]][]) {
      for (const specifier of specifiers) {
        if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier));
        else external[kind].add(specifier);
      }
    }
  }
  return { files, external };
}

const isNodeBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] ?? '');

describe('the built ESM entries', () => {
  it.each(['index.js', 'angular.js'])('%s and its chunks import no node: module', (entry) => {
    expect(existsSync(resolve(dist, entry)), `dist/${entry} is missing: run npm run build first`).toBe(true);
    const { files, external } = bundleOf(entry);
    expect(files.length).toBeGreaterThan(0);
    const all = [...external.static, ...external.dynamic];
    expect(all.filter(isNodeBuiltin)).toEqual([]);
    // every static import is one the page's import map provides
    expect([...external.static].filter((specifier) => !(specifier in importMap.imports))).toEqual([]);
  });

  it('are told apart from the testing entry, which does import node: modules (a control for the scan)', () => {
    expect([...bundleOf('testing.js').external.static].filter(isNodeBuiltin)).toContain('node:http');
  });
});

describe('the built ESM bundle in headless Chromium, cross-origin against the simulator', () => {
  let simulator: CambSimulator;
  let site: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    simulator = await startCambSimulator({
      tasks: [
        { id: 'task-web', pendingPolls: 2, outcome: { status: 'SUCCESS', runId: 9001 } },
        { id: 'task-gates', pendingPolls: 1_000_000 },
      ],
    });
    const config = { taskId: 'task-web', gatesTaskId: 'task-gates', apiKey: simulator.apiKey, baseUrl: simulator.url };
    site = await startStaticServer(root, ['dist', 'node_modules/rxjs', 'node_modules/tslib', 'node_modules/zod'], () => page(config));
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync'],
      timeout: 30_000,
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([browser?.close(), site?.close(), simulator?.close()]);
  }, 30_000);

  it('polls transcriptionStatus$ to SUCCESS, after a CORS preflight', async () => {
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      const problems: string[] = [];
      tab.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      tab.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
      tab.on('response', (response) => response.status() >= 400 && problems.push(`${response.status()} ${response.url()}`));
      await tab.goto(`${site.origin}/`, { timeout: 10_000 });
      await tab.waitForFunction(() => 'result' in document.body.dataset, undefined, { timeout: 15_000 }).catch((error: Error) => {
        throw new Error(`the page did not finish: ${[error.message, ...problems].join('\n')}`);
      });

      const result = await tab.evaluate(() => (window as unknown as { __result: unknown }).__result);
      expect(problems).toEqual([]);
      expect(result).toMatchObject({
        statuses: [
          { taskId: 'task-web', status: 'PENDING', poll: 1, done: false },
          { taskId: 'task-web', status: 'PENDING', poll: 2, done: false },
          { taskId: 'task-web', status: 'SUCCESS', poll: 3, done: true, runId: 9001 },
        ],
      });
      expect(await tab.textContent('#out')).toBe('PENDING PENDING SUCCESS 9001');

      const preflights = simulator.requests.filter((e) => e.route === 'preflight');
      const polls = simulator.requests.filter((e) => e.route === 'status');
      expect(preflights.length).toBeGreaterThanOrEqual(1);
      expect(preflights[0]?.headers['origin']).toBe(site.origin);
      expect(preflights[0]?.headers['access-control-request-method']).toBe('GET');
      expect(preflights[0]?.headers['access-control-request-headers']).toContain('x-api-key');
      expect(polls.map((e) => [e.method, e.path, e.hasValidKey, e.headers['origin']])).toEqual(
        Array.from({ length: 3 }, () => ['GET', '/apis/transcribe/task-web', true, site.origin]),
      );
      expect(preflights[0]!.seq).toBeLessThan(polls[0]!.seq);
    } finally {
      await context.close();
    }
  }, 40_000);

  it('holds polls while the tab is hidden and reads at once on return; offline, waits for `online` instead of spending retries', async () => {
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      await tab.goto(`${site.origin}/?gates`, { timeout: 10_000 });
      const statusesSeen = () => tab.evaluate(() => (window as unknown as { __statuses: unknown[] }).__statuses.length);
      const failed = () => tab.evaluate(() => (window as unknown as { __result?: { error?: string } }).__result?.error);
      const polls = () => simulator.requests.filter((e) => e.route === 'status' && e.path.endsWith('/task-gates')).length;
      const moreThan = (n: number) => tab.waitForFunction((least) => (window as unknown as { __statuses: unknown[] }).__statuses.length > least, n, { timeout: 10_000 });
      await moreThan(3);

      // Hidden: the read in flight (if any) lands, then nothing more is sent.
      const setVisibility = (state: 'hidden' | 'visible') =>
        tab.evaluate((value) => {
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
          document.dispatchEvent(new Event('visibilitychange'));
        }, state);
      await setVisibility('hidden');
      await tab.waitForTimeout(200);
      const whileHidden = polls();
      await tab.waitForTimeout(600); // 20 intervals
      expect(polls()).toBe(whileHidden);
      // Shown again: a read goes out at once, and polling goes on.
      const seenBefore = await statusesSeen();
      await setVisibility('visible');
      await moreThan(seenBefore + 2);
      expect(polls()).toBeGreaterThan(whileHidden);

      // Offline for far longer than one retry takes: the stream waits instead of failing.
      await context.setOffline(true);
      await tab.waitForTimeout(800);
      expect(await failed()).toBeUndefined();
      const seenOffline = await statusesSeen();
      await context.setOffline(false);
      await moreThan(seenOffline + 2);
      expect(await failed()).toBeUndefined();
    } finally {
      await context.close();
    }
  }, 40_000);
});

/** The test page: the import map, then a module that runs the status stream and reports into the DOM. */
function page(config: { taskId: string; gatesTaskId: string; apiKey: string; baseUrl: string }): string {
  return `<!doctype html>
<meta charset="utf-8">
<title>camb-rx in the browser</title>
<link rel="icon" href="data:,">
<script type="importmap">${JSON.stringify(importMap)}</script>
<pre id="out">loading</pre>
<script type="module">
  import { transcriptionStatus$ } from '/dist/index.js';
  const config = ${JSON.stringify(config)};
  const out = document.getElementById('out');
  const statuses = [];
  const finish = (result) => {
    window.__result = result;
    document.body.dataset.result = result.error ? 'error' : 'ok';
  };
  // ?gates: a task that stays PENDING, polled every 30 ms with one quick retry, to watch the
  // hidden-tab and offline gates; otherwise the task that succeeds.
  const gates = location.search === '?gates';
  const taskId = gates ? config.gatesTaskId : config.taskId;
  const retry = gates ? { maxRetries: 1, baseDelayMs: 10, maxDelayMs: 20 } : undefined;
  window.__statuses = statuses;
  transcriptionStatus$(taskId, { apiKey: config.apiKey, baseUrl: config.baseUrl, interval: 30, minIntervalMs: 0, retry }).subscribe({
    next: (status) => {
      statuses.push(status);
      out.textContent = statuses.map((s) => s.status).concat(status.runId ?? []).join(' ');
    },
    error: (error) => finish({ error: String(error), statuses }),
    complete: () => finish({ statuses }),
  });
</script>`;
}
