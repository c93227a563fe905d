import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CambSimulator } from '../../src/testing/index.js';
import { useSimulators } from '../_helpers/simulator-harness.js';

/* The examples import `camb-rx` by name, so they run against the build (npm test builds first). */
const root = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts an example as a child process; `done` resolves when it exits (killed after 15 s). */
function runExample(file: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [`examples/${file}`], { cwd: root, env: { ...process.env, ...env }, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const done = new Promise<Run>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    }),
  );
  return { child, done };
}

const ndjson = (text: string) => text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
const pipelineEnv = (simulator: CambSimulator) => ({ CAMB_API_KEY: simulator.apiKey, CAMB_BASE_URL: simulator.url, CAMB_POLL_MS: '10' });

beforeAll(() => {
  if (!existsSync(`${root}dist/index.js`)) throw new Error('the examples need the build: run `npm run build` first');
});

describe('examples/rxjs-app.mjs', () => {
  it('composes the operators against its own simulator and exits 0', async () => {
    const { code, stdout, stderr } = await runExample('rxjs-app.mjs').done;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([
      'talk: PENDING (poll 1)',
      expect.stringMatching(/^retry 1: CAMB answered 503 to GET /),
      'talk: RUNNING (poll 2)', // the restarted stream's PENDING was hidden by distinctStatus
      'talk: SUCCESS (poll 3)',
      'talk: done, result run id 42',
      'too-long: PENDING (poll 1)',
      'too-long: ERROR (poll 2)',
      expect.stringMatching(/^too-long: failed, SOURCE_TOO_LONG: .*Audio over 2 h/),
    ]);
  });
});

describe('examples/node-pipeline.mjs', () => {
  const start = useSimulators();

  it('turns NDJSON task ids into NDJSON status events, bad lines and task errors included', async () => {
    const simulator = await start({
      tasks: [
        { id: 'a', pendingPolls: 2, outcome: { status: 'SUCCESS', runId: 9 } },
        { id: 'b', outcome: { status: 'ERROR', exceptionReason: 'SOURCE_TOO_LONG' } },
      ],
    });
    const { child, done } = runExample('node-pipeline.mjs', pipelineEnv(simulator));
    child.stdin.end(['{"taskId":"a"}', '', '  ', 'not json', '{"taskId":"b"}', '{"id":"c"}', '{"taskId":"missing"}', '{"taskId":"a"}', ''].join('\n'));
    const { code, stdout, stderr } = await done;
    expect(stderr).toBe('');
    expect(code).toBe(1); // one task failed, one could not be followed
    const events = ndjson(stdout);
    const of = (type: string) => events.filter((e) => e.type === type);
    expect(of('status').filter((e) => e.taskId === 'a').map((e) => e.status)).toEqual(['PENDING', 'SUCCESS']); // distinct
    expect(of('status').find((e) => e.taskId === 'a' && e.done)).toMatchObject({ runId: 9, poll: 3 });
    expect(of('status').filter((e) => e.taskId === 'b')).toEqual([expect.objectContaining({ status: 'ERROR', done: true, exceptionReason: 'SOURCE_TOO_LONG' })]);
    expect(of('bad-line').map((e) => e.line)).toEqual([4, 6]);
    expect(of('task-error')).toEqual([
      expect.objectContaining({ taskId: 'missing', error: expect.objectContaining({ name: 'CambHttpError', status: 404 }) }),
    ]);
    expect(events.at(-1)).toEqual({ type: 'summary', succeeded: 1, failed: 1, taskErrors: 1, badLines: 2, interrupted: false });
    expect(stdout).not.toContain(simulator.apiKey);
  });

  it('exits 0 when every task succeeded', async () => {
    const simulator = await start({ tasks: [{ id: 'a' }, { id: 'b', pendingPolls: 1 }] });
    const { child, done } = runExample('node-pipeline.mjs', pipelineEnv(simulator));
    child.stdin.end('{"taskId":"a"}\r\n{"taskId":"b"}');
    const { code, stdout } = await done;
    expect(code).toBe(0);
    expect(ndjson(stdout).at(-1)).toEqual({ type: 'summary', succeeded: 2, failed: 0, taskErrors: 0, badLines: 0, interrupted: false });
  });

  it('on SIGINT: closes the request in flight, sends nothing more, writes the summary, exits 130', async () => {
    const simulator = await start({ tasks: [{ id: 'slow', pendingPolls: 1000, faults: { 2: { type: 'hang' } } }] });
    const { child, done } = runExample('node-pipeline.mjs', pipelineEnv(simulator));
    child.stdin.write('{"taskId":"slow"}\n'); // stdin stays open: the pipeline would run on
    const hanging = await simulator.waitForRequest((e) => e.route === 'status' && e.fault?.type === 'hang', 10_000);
    child.kill('SIGINT');
    const { code, stdout } = await done;
    expect(code).toBe(130);
    await expect(simulator.waitForClose(hanging, 2000)).resolves.toMatchObject({ closedByClient: true });
    const events = ndjson(stdout);
    expect(events.map((e) => e.type)).toEqual(['status', 'summary']);
    expect(events.at(-1)).toMatchObject({ interrupted: true, succeeded: 0 });
    const sent = simulator.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(simulator.requests.length).toBe(sent);
    expect(simulator.stats.inFlight).toBe(0);
  });

  it('exits 2 without CAMB_API_KEY', async () => {
    const { code, stderr } = await runExample('node-pipeline.mjs', { CAMB_API_KEY: '' }).done;
    expect(code).toBe(2);
    expect(stderr).toMatch(/CAMB_API_KEY/);
  });
});
