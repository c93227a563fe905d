import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const demo = fileURLToPath(new URL('../../examples/demo.mjs', import.meta.url));

describe('examples/demo.mjs (npm run demo), piped', () => {
  it('runs the whole demo against the simulator, ends with its summary line and exits 0', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env['CAMB_API_KEY'];
    const child = spawn(process.execPath, [demo], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      const limit = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the demo did not finish within 40 s:\n${output}`));
      }, 40_000);
      child.once('close', (exitCode) => {
        clearTimeout(limit);
        resolve(exitCode);
      });
    });
    expect(code, output).toBe(0);
    expect(output).toMatch(/^demo summary: watch exited 1 \(9 done \/ 3 failed, 9 \/ 3 scripted\), transcribe exited 0 \(2 segments\);/m);
    expect(output).toContain('9 done / 3 failed / 0 pending'); // the CLI's own summary, in plain lines
    expect(output).toContain('00:00:00,000 --> 00:00:00,550\nA pure tone at 440 hertz,');
    expect(output).toContain('sha256 matches');
    expect(output).not.toContain('\x1b['); // not a terminal: no control sequences
  }, 45_000);
});
