import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI (`npm test` builds before running vitest). */
export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** How a CLI run ended, and what it wrote. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How to run the CLI. */
export interface CliRunOptions {
  /** Extra environment; `CAMB_API_KEY` and `NO_COLOR` of the test process are never passed on. */
  readonly env?: Readonly<Record<string, string>>;
  /** Text for stdin, then end of file; without it stdin is /dev/null (not a terminal, empty). */
  readonly stdin?: string;
  /** Leave stdin open (a pipe nobody writes to). */
  readonly keepStdinOpen?: boolean;
  /** The run is killed after this long, and the test fails. */
  readonly timeoutMs?: number;
}

/** A running CLI: the child, and its result once it exits. */
export interface CliRun {
  readonly child: ChildProcess;
  readonly done: Promise<CliResult>;
}

/**
 * Starts `node dist/cli.js …` as a child process.
 *
 * @param args - the command line
 * @param options - environment and stdin
 * @returns the child and the promise of its result
 */
export function startCli(args: readonly string[], { env = {}, stdin, keepStdinOpen = false, timeoutMs = 15_000 }: CliRunOptions = {}): CliRun {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const name of ['CAMB_API_KEY', 'NO_COLOR', 'FORCE_COLOR']) if (!(name in env)) delete childEnv[name];
  const piped = stdin !== undefined || keepStdinOpen;
  const child = spawn(process.execPath, [cliPath, ...args], { env: childEnv, stdio: [piped ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  if (stdin !== undefined) child.stdin?.end(stdin);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve, reject) => {
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`camb-rx ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(limit);
      child.stdin?.destroy();
      resolve({ code, stdout, stderr });
    });
  });
  return { child, done };
}

/**
 * Runs `node dist/cli.js …` to its end.
 *
 * @param args - the command line
 * @param options - environment and stdin
 * @returns its exit code and output
 */
export function runCli(args: readonly string[], options?: CliRunOptions): Promise<CliResult> {
  return startCli(args, options).done;
}
