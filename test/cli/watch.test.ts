import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CambSimulator, SimulatedTask } from '../../src/testing/index.js';
import { useSimulators } from '../_helpers/simulator-harness.js';
import { runCli, startCli, type CliResult } from './cli-process.js';

const start = useSimulators();
const KEY = 'sk-camb-test-9f2c41d7';

/** Each task is PENDING once, then ends; `bad` fails. */
const tasks: SimulatedTask[] = [
  { id: 'a', pendingPolls: 1, outcome: { status: 'SUCCESS', runId: 7 } },
  { id: 'b', pendingPolls: 1, outcome: { status: 'SUCCESS', runId: 8 } },
  { id: 'bad', pendingPolls: 1, outcome: { status: 'ERROR', exceptionReason: 'SOURCE_TOO_LONG', message: 'Audio over 2 h' } },
];

const simulatorWith = (options: { tasks?: SimulatedTask[] } = {}) => start({ apiKey: KEY, tasks, ...options });
const watch = (simulator: CambSimulator, args: string[], options: { stdin?: string } = {}) =>
  runCli(['watch', ...args, '--base-url', simulator.url, '--interval', '20ms'], { env: { CAMB_API_KEY: KEY }, ...options });

/** The output never holds the key, whatever happened. */
const expectNoKey = ({ stdout, stderr }: CliResult, key = KEY) => {
  expect(stdout).not.toContain(key);
  expect(stderr).not.toContain(key);
};

const plainLine = /^\S+ [A-Z_]+( .*)? \(poll \d+, \d+\.\ds\)$/;

describe('camb-rx watch: exit status and plain output (stdout not a terminal)', () => {
  it('--interval 0 is no hot loop: reads of one task reach the server at least 250 ms apart', async () => {
    const simulator = await simulatorWith({ tasks: [{ id: 'slow', pendingPolls: 3 }] });
    const result = await runCli(['watch', 'slow', '--base-url', simulator.url, '--interval', '0'], { env: { CAMB_API_KEY: KEY } });
    expect(result.code).toBe(0);
    const arrivals = simulator.requests.filter((entry) => entry.route === 'status').map((entry) => entry.startedAt);
    expect(arrivals).toHaveLength(4);
    // A timer never fires early: each gap is at least the floor (less the ms rounding of timers).
    for (let i = 1; i < arrivals.length; i += 1) expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(248);
  });

  it('exits 0 when every task succeeded, with one line per status change and the summary', async () => {
    const simulator = await simulatorWith();
    const result = await watch(simulator, ['a', 'b']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('2 done / 0 failed / 0 pending');
    const changes = lines.slice(0, -1);
    expect(changes.every((line) => plainLine.test(line))).toBe(true);
    expect(changes.filter((line) => line.startsWith('a ')).map((line) => line.replace(/ \(poll.*$/, ''))).toEqual(['a PENDING', 'a SUCCESS run 7']);
    expect(changes.filter((line) => line.startsWith('b ')).map((line) => line.replace(/ \(poll.*$/, ''))).toEqual(['b PENDING', 'b SUCCESS run 8']);
    expect(result.stdout).not.toContain('\x1b');
    expect(result.stderr).toBe('');
    expectNoKey(result);
  });

  it('exits 1 when a task failed, showing why', async () => {
    const simulator = await simulatorWith();
    const result = await watch(simulator, ['a', 'bad']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^bad ERROR SOURCE_TOO_LONG: Audio over 2 h \(poll 2, \d+\.\ds\)$/m);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('1 done / 1 failed / 0 pending');
    expectNoKey(result);
  });

  it('exits 1 when a task cannot be followed (404), and still follows the others to their end', async () => {
    const simulator = await simulatorWith();
    const result = await watch(simulator, ['ghost', 'a']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ghost could not be followed: CAMB answered 404 to GET http:\/\/127\.0\.0\.1:\d+\/apis\/transcribe\/ghost/m);
    expect(result.stdout).toMatch(/^a SUCCESS run 7 /m);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('1 done / 1 failed / 0 pending');
  });

  it('gives up on a task after --timeout (options may come before the command), counting it as failed', async () => {
    const simulator = await simulatorWith({ tasks: [{ id: 'endless', pendingPolls: 1_000_000 }, tasks[0] as SimulatedTask] });
    // 'a' needs two reads, 250 ms apart at least (the poll interval floor): well within the timeout.
    const result = await runCli(['--timeout', '1s', '--json', 'watch', 'endless', 'a', '--base-url', simulator.url, '--interval', '20ms'], {
      env: { CAMB_API_KEY: KEY },
    });
    expect(result.code).toBe(1);
    const events = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.find((e) => e.type === 'error')).toMatchObject({
      taskId: 'endless',
      error: { name: 'CambTimeoutError', timeoutMs: 1000, lastStatus: { status: 'PENDING' } },
    });
    expect(events.at(-1)).toMatchObject({ type: 'summary', succeeded: 1, failed: 1 });
  });

  it('recovers from transient faults (503, reset, 429 with Retry-After), with a note per retry and no failure', async () => {
    const flaky: SimulatedTask[] = [
      { id: 'a', pendingPolls: 1, faults: { 1: { type: 'http', status: 503 }, 2: { type: 'reset-before-headers' } } },
      { id: 'b', faults: { 1: { type: 'http', status: 429, retryAfter: 1 } } },
    ];
    const simulator = await simulatorWith({ tasks: flaky });
    const result = await watch(simulator, ['a', 'b']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/could not be followed/);
    expect(simulator.requests.filter((e) => e.fault)).toHaveLength(3);
    const notes = (taskId: string) => result.stdout.split('\n').filter((line) => line.startsWith(`${taskId} retrying `));
    expect(notes('a')).toEqual([
      expect.stringMatching(/^a retrying \(503\), 2nd attempt in \d+\.\d s$/),
      expect.stringMatching(/^a retrying \(network error\), 3rd attempt in \d+\.\d s$/),
    ]);
    expect(notes('b')).toEqual(['b retrying (429), 2nd attempt in 1.0 s (Retry-After)']);
  });

  it('reads more ids from stdin, one per line (blank lines and repeats skipped), after those of the command line', async () => {
    const simulator = await simulatorWith();
    const result = await watch(simulator, ['a', '-'], { stdin: 'b\n\n  bad  \nb\na\n' });
    expect(result.code).toBe(1);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('2 done / 1 failed / 0 pending');
    const polled = new Set(simulator.requests.map((e) => e.taskId));
    expect([...polled].sort()).toEqual(['a', 'b', 'bad']);
    expect(simulator.task('b').polls).toBe(2); // followed once, though given twice
  });

  it('reads ids from stdin alone when it is not a terminal', async () => {
    const simulator = await simulatorWith();
    const result = await watch(simulator, [], { stdin: 'a\nb\n' });
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('2 done / 0 failed / 0 pending');
  });
});

describe('camb-rx watch: where, what kind, how fast', () => {
  it('takes the API root from CAMB_BASE_URL when --base-url is not given', async () => {
    const simulator = await simulatorWith();
    const result = await runCli(['watch', 'a', '--interval', '20ms'], { env: { CAMB_API_KEY: KEY, CAMB_BASE_URL: simulator.url } });
    expect(result.code).toBe(0);
    expect(simulator.requests.map((e) => e.taskId)).toEqual(['a', 'a']);
  });

  it('follows tasks of another kind with --kind, at their own path', async () => {
    const simulator = await simulatorWith({ tasks: [{ id: 'd1', kind: 'dub', pendingPolls: 1 }] });
    const result = await watch(simulator, ['d1', '--kind', 'dub', '--json']);
    expect(result.code).toBe(0);
    expect(simulator.requests.map((e) => e.path)).toEqual(['/apis/dub/d1', '/apis/dub/d1']);
    expect(result.stdout).toContain('"kind":"dub"');
  });

  it('keeps to --max-concurrent, as the simulator counts requests in flight', async () => {
    const four = ['p', 'q', 'r', 's'].map((id): SimulatedTask => ({ id, pendingPolls: 1 }));
    const unbounded = await start({ apiKey: KEY, tasks: four, latencyMs: 100 });
    expect((await watch(unbounded, ['p', 'q', 'r', 's'])).code).toBe(0);
    expect(unbounded.stats.maxInFlight).toBeGreaterThan(1);
    const bounded = await start({ apiKey: KEY, tasks: four, latencyMs: 100 });
    expect((await watch(bounded, ['p', 'q', 'r', 's', '--max-concurrent', '1'])).code).toBe(0);
    expect(bounded.stats.maxInFlight).toBe(1);
  });

  it('keeps to --max-rps: three one-poll tasks no longer start within one second', async () => {
    const three = ['x', 'y', 'z'].map((id): SimulatedTask => ({ id }));
    const unbounded = await start({ apiKey: KEY, tasks: three });
    expect((await watch(unbounded, ['x', 'y', 'z'])).code).toBe(0);
    expect(unbounded.stats.maxPerSecond).toBe(3);
    const bounded = await start({ apiKey: KEY, tasks: three });
    expect((await watch(bounded, ['x', 'y', 'z', '--max-rps', '1'])).code).toBe(0);
    expect(bounded.stats.maxPerSecond).toBeLessThan(3);
  });

  it('reaches a plain-http host that is not loopback only with --allow-insecure-http', async () => {
    const simulator = await simulatorWith();
    const viaAnyAddress = simulator.url.replace('127.0.0.1', '0.0.0.0'); // Linux delivers it to 127.0.0.1
    const refused = await runCli(['watch', 'a', '--base-url', viaAnyAddress], { env: { CAMB_API_KEY: KEY } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refusing plain http to 0\.0\.0\.0:\d+: .* pass --allow-insecure-http/);
    const allowed = await watch(simulator, ['a', '--base-url', viaAnyAddress, '--allow-insecure-http']);
    expect(allowed.code).toBe(0);
  });
});

describe('camb-rx watch --json', () => {
  it('writes NDJSON: a status object per change, an error object per task that cannot be followed, a summary last', async () => {
    const simulator = await simulatorWith();
    const result = await watch(simulator, ['a', 'bad', 'ghost', '--json']);
    expect(result.code).toBe(1);
    const events = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const summary = events.at(-1);
    expect(summary).toEqual({ type: 'summary', total: 3, succeeded: 1, failed: 2, pending: 0, interrupted: false });
    const statuses = events.filter((e) => e.type === 'status');
    expect(statuses.filter((e) => e.taskId === 'a').map((e) => e.status)).toEqual(['PENDING', 'SUCCESS']);
    expect(statuses.find((e) => e.taskId === 'a' && e.status === 'SUCCESS')).toMatchObject({ kind: 'transcribe', done: true, runId: 7, poll: 2 });
    expect(statuses.find((e) => e.taskId === 'bad' && e.done)).toMatchObject({
      status: 'ERROR',
      exceptionReason: 'SOURCE_TOO_LONG',
      message: 'Audio over 2 h',
    });
    const errors = events.filter((e) => e.type === 'error');
    expect(errors).toEqual([
      {
        type: 'error',
        taskId: 'ghost',
        error: expect.objectContaining({ name: 'CambHttpError', code: expect.any(String), status: 404, method: 'GET' }),
      },
    ]);
    expect(events.filter((e) => e.type === 'summary')).toHaveLength(1);
    expectNoKey(result);
  });
});

describe('camb-rx watch: usage errors exit 2 and send nothing', () => {
  it.each([
    ['an unknown option', ['watch', 'a', '--bogus'], /Unknown option '--bogus'/],
    ['a bad duration', ['watch', 'a', '--interval', 'soon'], /--interval must be a duration/],
    ['an option of the other command', ['watch', 'a', '--format', 'srt'], /--format is an option of transcribe/],
    ['an unknown command', ['follow', 'a'], /unknown command "follow"/],
    ['no command', [], /missing command/],
    ['plain http to a non-loopback host', ['watch', 'a', '--base-url', 'http://camb.example.com/apis'], /refusing plain http.*pass --allow-insecure-http$/m],
    ['a base URL that is not http(s)', ['watch', 'a', '--base-url', 'ftp://camb.example.com'], /--base-url \(or CAMB_BASE_URL\) must be an absolute http\(s\) URL/],
    ['a negative interval', ['watch', 'a', '--interval', '-5'], /--interval must be a duration like 2s \(.*\), got "-5"$/m],
    ['a timeout that is no duration', ['watch', 'a', '--timeout', 'soon'], /--timeout must be a duration like 90s \(.*\), got "soon"$/m],
    ['an unknown kind', ['watch', 'a', '--kind', 'dubbing'], /--kind must be one of tts, .*, got "dubbing"$/m],
  ])('%s', async (_name, args, message) => {
    const simulator = await simulatorWith();
    const result = await runCli(args.includes('--base-url') ? args : [...args, '--base-url', simulator.url], { env: { CAMB_API_KEY: KEY } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('camb-rx --help');
    expect(result.stdout).toBe('');
    expect(simulator.requests).toHaveLength(0);
    expectNoKey(result);
  });

  it('exits 2 when no API key is given, saying how to give one', async () => {
    const simulator = await simulatorWith();
    const result = await runCli(['watch', 'a', '--base-url', simulator.url]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/missing API key: set CAMB_API_KEY, or pass --api-key/);
    expect(simulator.requests).toHaveLength(0);
  });

  it('exits 2 when stdin gave no ids either', async () => {
    const simulator = await simulatorWith();
    const result = await watch(simulator, [], { stdin: '\n\n' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no task ids were given/);
  });

  it('--version prints the version of the package and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const result = await runCli(['--version']);
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--help prints the usage on stdout and exits 0', async () => {
    const result = await runCli(['watch', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^camb-rx: follow CAMB\.AI tasks/);
    expect(result.stdout).toContain('camb-rx watch <taskId...> [options]');
    expect(result.stdout).toContain('camb-rx transcribe <file|url> --language <id> [options]');
  });
});

describe('camb-rx watch: the API key', () => {
  it('is taken from --api-key too, and never printed, not even when it is refused', async () => {
    const simulator = await simulatorWith();
    const good = await watch(simulator, ['a', '--api-key', KEY]);
    expect(good.code).toBe(0);
    const wrongKey = 'sk-camb-wrong-5d0b2e88';
    const refused = await runCli(['watch', 'a', `--api-key=${wrongKey}`, '--base-url', simulator.url, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('check CAMB_API_KEY');
    for (const result of [good, refused]) expectNoKey(result, KEY);
    expectNoKey(refused, wrongKey);
    const usage = await runCli(['watch', '--bogus', `--api-key=${wrongKey}`]);
    expect(usage.code).toBe(2);
    expectNoKey(usage, wrongKey);
  });
});

describe('camb-rx watch: a refused key', () => {
  it('stops at the first 401 with one line that says what to check, not one per task', async () => {
    const simulator = await simulatorWith();
    const result = await runCli(['watch', 'a', 'b', 'bad', '--base-url', simulator.url, '--interval', '20ms'], { env: { CAMB_API_KEY: 'sk-camb-revoked-1234' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('camb-rx: CAMB refused the API key (401 Unauthorized): check CAMB_API_KEY, or --api-key\n');
    expect(result.stdout).not.toMatch(/could not be followed|401/);
    expect(simulator.requests.every((e) => e.status === 401)).toBe(true);
  });
});

describe('camb-rx watch: Ctrl-C', () => {
  it('on SIGINT unsubscribes (the simulator sees the request closed), prints the summary and exits 130', async () => {
    const simulator = await simulatorWith({ tasks: [{ id: 'slow', pendingPolls: 1000, faults: { 2: { type: 'hang' } } }] });
    // stdin stays open: reading ids from it must not keep the process alive either.
    const run = startCli(['watch', 'slow', '-', '--base-url', simulator.url, '--interval', '20ms'], {
      env: { CAMB_API_KEY: KEY },
      keepStdinOpen: true,
    });
    const hanging = await simulator.waitForRequest((e) => e.fault?.type === 'hang', 10_000);
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code).toBe(130);
    await expect(simulator.waitForClose(hanging, 3000)).resolves.toMatchObject({ closedByClient: true });
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('0 done / 0 failed / 1 pending (interrupted)');
    expect(simulator.requests.filter((e) => e.route === 'status')).toHaveLength(2);
  });
});
