import { spawn } from 'node:child_process';
import { cliPath, type CliResult } from './cli-process.js';

/** A CLI run inside a real pseudo-terminal: stdin, stdout and stderr are all the terminal. */
export interface TerminalRun {
  /** Types into the terminal, e.g. `\x03` for Ctrl-C (the terminal sends SIGINT). */
  type(text: string): void;
  /** Everything the terminal received so far, stdout and stderr as they interleaved. */
  output(): string;
  /** Resolves once `output()` matches, or kills the run and rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** How the run ended; `stdout` holds the terminal's output, `stderr` is empty. */
  readonly done: Promise<CliResult>;
}

/** The single-quoted shell word for `text`. */
const shellWord = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/**
 * Starts `node dist/cli.js …` in a pseudo-terminal of the given size, through util-linux's
 * `script` (part of every Debian and Ubuntu system), so that the CLI sees a TTY, draws its
 * spinner, and gets SIGINT from a typed Ctrl-C as it would at a user's terminal.
 *
 * @param args - the command line
 * @param options - extra environment (`CAMB_API_KEY`, `NO_COLOR` of the test process are not passed on), terminal size, time limit
 * @returns the run
 */
export function startCliInTerminal(
  args: readonly string[],
  { env = {}, columns = 100, rows = 30, timeoutMs = 15_000 }: { env?: Readonly<Record<string, string>>; columns?: number; rows?: number; timeoutMs?: number } = {},
): TerminalRun {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, TERM: 'xterm-256color' };
  for (const name of ['CAMB_API_KEY', 'NO_COLOR', 'FORCE_COLOR']) if (!(name in env)) delete childEnv[name];
  const command = `stty cols ${columns} rows ${rows}; exec ${[process.execPath, cliPath, ...args].map(shellWord).join(' ')}`;
  const child = spawn('script', ['--quiet', '--flush', '--return', '--command', command, '/dev/null'], { env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    for (const check of waiters) check();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const done = new Promise<CliResult>((resolve, reject) => {
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`camb-rx ${args.join(' ')} did not exit within ${timeoutMs} ms in the terminal\n${output}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(limit);
      child.stdin.destroy();
      resolve({ code, stdout: output, stderr: '' });
    });
  });
  return {
    type: (text) => child.stdin.write(text),
    output: () => output,
    waitFor: (pattern, waitMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(output)) return;
          waiters.delete(check);
          clearTimeout(limit);
          resolve();
        };
        const limit = setTimeout(() => {
          waiters.delete(check);
          child.kill('SIGKILL'); // the test fails here; the run must not outlive it
          reject(new Error(`the terminal never showed ${pattern}:\n${JSON.stringify(output)}`));
        }, waitMs);
        waiters.add(check);
        check();
      }),
    done,
  };
}
