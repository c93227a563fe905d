import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSimulators } from '../_helpers/simulator-harness.js';
import { screenOf } from '../_helpers/virtual-screen.js';
import { startCliInTerminal } from './cli-terminal.js';

const start = useSimulators();
const KEY = 'sk-camb-test-0c51e7aa';

let dir: string;
let audioPath: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'camb-rx-cli-tty-'));
  audioPath = join(dir, 'talk.wav');
  await writeFile(audioPath, Buffer.from('RIFF....WAVEfmt bytes for a terminal run'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform !== 'linux')('camb-rx in a terminal (a real pseudo-terminal)', () => {
  it('watch: shows a read being retried on its task\'s line of the live table, until the next status', async () => {
    const simulator = await start({ apiKey: KEY, tasks: [{ id: 'calm', pendingPolls: 2 }, { id: 'busy', faults: { 1: { type: 'http', status: 429, retryAfter: 1 } } }] });
    const run = startCliInTerminal(['watch', 'calm', 'busy', '--base-url', simulator.url, '--interval', '30ms'], { env: { CAMB_API_KEY: KEY, NO_COLOR: '1' } });
    await run.waitFor(/retrying \(429\)/);
    expect(screenOf(run.output())).toContainEqual(expect.stringMatching(/^\S busy +waiting +0 polls +\d+\.\ds  retrying \(429\), 2nd attempt in 1\.0 s \(Retry-After\)$/));
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(screenOf(result.stdout)).toEqual([
      expect.stringMatching(/^✔ calm +SUCCESS +3 polls +\d+\.\ds$/),
      expect.stringMatching(/^✔ busy +SUCCESS +1 poll +\d+\.\ds$/),
      expect.stringMatching(/^2 done \/ 0 failed \/ 0 pending  \d+\.\ds$/),
    ]);
  });

  it('transcribe: keeps the created task id on screen above the spinner, and on Ctrl-C says how to follow the task', async () => {
    const simulator = await start({ apiKey: KEY, createdTask: { pendingPolls: 1_000_000 } });
    const run = startCliInTerminal(['transcribe', audioPath, '-l', '1', '--base-url', simulator.url, '--interval', '30ms'], {
      env: { CAMB_API_KEY: KEY, NO_COLOR: '1' },
    });
    // The spinner has been redrawn several times since the task was created.
    await run.waitFor(/PENDING \(poll ([5-9]|\d{2,}),/);
    const taskId = simulator.tasks[0]?.id ?? '';
    expect(taskId).not.toBe('');
    expect(screenOf(run.output())).toEqual([`created task ${taskId}`, expect.stringMatching(/^\S PENDING \(poll \d+, \d+\.\ds\)$/)]);

    run.type('\x03'); // Ctrl-C, as typed: the terminal sends SIGINT
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(screenOf(result.stdout)).toEqual([
      `created task ${taskId}`,
      'camb-rx: interrupted',
      `task ${taskId} goes on at CAMB; to follow it:`,
      `  camb-rx watch ${taskId} --base-url ${simulator.url}`,
    ]);
    expect(result.stdout.lastIndexOf('\x1b[?25h')).toBeGreaterThan(result.stdout.lastIndexOf('\x1b[?25l')); // the cursor is back
    expect(result.stdout).not.toContain(KEY);
  });
});
