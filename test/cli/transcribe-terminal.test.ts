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

describe.skipIf(process.platform !== 'linux')('camb-rx transcribe in a terminal (a real pseudo-terminal)', () => {
  it('keeps the created task id on screen above the spinner, and on Ctrl-C says how to follow the task', async () => {
    const simulator = await start({ apiKey: KEY, createdTask: { pendingPolls: 1_000_000 } });
    const run = startCliInTerminal(['transcribe', audioPath, '-l', '1', '--base-url', simulator.url, '--interval', '30ms'], {
      env: { CAMB_API_KEY: KEY, NO_COLOR: '1' },
    });
    // The spinner has been redrawn several times since the task was created.
    await run.waitFor(/PENDING \(poll 5,/);
    const taskId = simulator.tasks[0]?.id ?? '';
    expect(taskId).not.toBe('');
    expect(screenOf(run.output())).toEqual([`created task ${taskId}`, expect.stringMatching(/^\S PENDING \(poll \d+, \d+\.\ds\)$/)]);

    run.type('\x03'); // Ctrl-C, as typed: the terminal sends SIGINT
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(screenOf(result.stdout)).toEqual([
      `created task ${taskId}`,
      'camb-rx: interrupted',
      `task ${taskId} goes on at CAMB; follow it with: camb-rx watch ${taskId} --base-url ${simulator.url}`,
    ]);
    expect(result.stdout.lastIndexOf('\x1b[?25h')).toBeGreaterThan(result.stdout.lastIndexOf('\x1b[?25l')); // the cursor is back
    expect(result.stdout).not.toContain(KEY);
  });
});
