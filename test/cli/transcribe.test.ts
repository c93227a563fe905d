import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CambSimulator, CreatedTaskTemplate, SimulatedSegment } from '../../src/testing/index.js';
import { useSimulators } from '../_helpers/simulator-harness.js';
import { runCli, startCli, type CliResult } from './cli-process.js';

const start = useSimulators();
const KEY = 'sk-camb-test-4be19a03';

/** Tricky on purpose: markup characters, a blank line inside a segment, a time past one hour. */
const transcript: SimulatedSegment[] = [
  { start: 0, end: 1.2346, text: 'Hello <world> & "you"', speaker: 'SPEAKER_0' },
  { start: 3661.5, end: 3662.0004, text: 'Line one\n\nline two', speaker: 'S1' },
];

let dir: string;
let audioPath: string;
const audio = Buffer.from('RIFF....WAVEfmt fake audio bytes for the upload');
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'camb-rx-cli-'));
  audioPath = join(dir, 'talk.wav');
  await writeFile(audioPath, audio);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const simulatorWith = (createdTask: CreatedTaskTemplate = { pendingPolls: 1, transcript }) => start({ apiKey: KEY, createdTask });
const transcribe = (simulator: CambSimulator, args: string[]) =>
  runCli(['transcribe', ...args, '--base-url', simulator.url, '--interval', '20ms'], { env: { CAMB_API_KEY: KEY } });
const expectNoKey = ({ stdout, stderr }: CliResult) => {
  expect(stdout).not.toContain(KEY);
  expect(stderr).not.toContain(KEY);
};

describe('camb-rx transcribe: output formats, exactly', () => {
  it('text (the default): one line per segment', async () => {
    const simulator = await simulatorWith();
    const result = await transcribe(simulator, [audioPath, '--language', '1']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Hello <world> & "you"\nLine one line two\n');
    expectNoKey(result);
  });

  it('srt: numbered cues, HH:MM:SS,mmm timings rounded to the millisecond', async () => {
    const simulator = await simulatorWith();
    const result = await transcribe(simulator, [audioPath, '-l', '1', '--format', 'srt']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      '1\n00:00:00,000 --> 00:00:01,235\nHello <world> & "you"\n\n' + '2\n01:01:01,500 --> 01:01:02,000\nLine one\nline two\n',
    );
  });

  it('vtt: a WEBVTT header, HH:MM:SS.mmm timings, the speaker as a voice tag, markup escaped', async () => {
    const simulator = await simulatorWith();
    const result = await transcribe(simulator, [audioPath, '-l', '1', '-f', 'vtt']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'WEBVTT\n\n' +
        '00:00:00.000 --> 00:00:01.235\n<v SPEAKER_0>Hello &lt;world&gt; &amp; "you"\n\n' +
        '01:01:01.500 --> 01:01:02.000\n<v S1>Line one\nline two\n',
    );
  });

  it('json: the task id, run id and transcript', async () => {
    const simulator = await simulatorWith();
    const result = await transcribe(simulator, [audioPath, '-l', '1', '--format=json']);
    expect(result.code).toBe(0);
    const [task] = simulator.tasks;
    expect(result.stdout).toBe(`${JSON.stringify({ taskId: task?.id, runId: task?.runId, transcript }, null, 2)}\n`);
  });
});

describe('camb-rx transcribe: what is sent, and the progress', () => {
  it('uploads the file as media_file with its name, and reports the steps on stderr', async () => {
    const simulator = await simulatorWith();
    const result = await transcribe(simulator, [audioPath, '--language', '7']);
    expect(result.code).toBe(0);
    const create = simulator.requests.find((e) => e.route === 'create');
    expect(create?.form).toEqual({
      language: '7',
      media_file: {
        fileName: 'talk.wav',
        type: 'application/octet-stream',
        size: audio.length,
        sha256: createHash('sha256').update(audio).digest('hex'),
        bytes: new Uint8Array(audio),
      },
    });
    const taskId = simulator.tasks[0]?.id ?? '';
    expect(result.stderr.split('\n').map((line) => line.replace(/\d+\.\ds/, 'T'))).toEqual([
      `uploading talk.wav (${audio.length} B)`,
      `created task ${taskId}`,
      'PENDING (poll 1, T)',
      'SUCCESS (poll 2, T), fetching the transcript',
      `done: task ${taskId} (run ${simulator.tasks[0]?.runId}) after 2 polls, T`,
      '',
    ]);
  });

  it('says "1 poll", not "1 polls"', async () => {
    const simulator = await simulatorWith({ pendingPolls: 0, transcript });
    const result = await transcribe(simulator, [audioPath, '-l', '1']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/after 1 poll, /);
  });

  it('sends an http(s) URL as media_url for CAMB to fetch', async () => {
    const simulator = await simulatorWith();
    const result = await transcribe(simulator, ['https://media.example.com/talk.mp3?sig=x', '-l', '2']);
    expect(result.code).toBe(0);
    expect(simulator.requests.find((e) => e.route === 'create')?.form).toEqual({ language: '2', media_url: 'https://media.example.com/talk.mp3?sig=x' });
  });
});

describe('camb-rx transcribe: failures', () => {
  it('refuses an empty file with a usage error (exit 2), uploading nothing', async () => {
    const simulator = await simulatorWith();
    const emptyPath = join(dir, 'empty.wav');
    await writeFile(emptyPath, new Uint8Array(0));
    const result = await transcribe(simulator, [emptyPath, '-l', '1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${emptyPath} is empty (0 bytes)`);
    expect(simulator.requests).toEqual([]);
  });

  it('exits 1 with the reason on stderr and nothing on stdout when the task fails', async () => {
    const simulator = await simulatorWith({ outcome: { status: 'ERROR', exceptionReason: 'SOURCE_TOO_LONG', message: 'Audio over 2 h' } });
    const result = await transcribe(simulator, [audioPath, '-l', '1']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`camb-rx: task ${simulator.tasks[0]?.id} ended with ERROR: SOURCE_TOO_LONG: Audio over 2 h`);
  });

  it('exits 1 when CAMB refuses the create (422), without retrying it', async () => {
    const simulator = await simulatorWith();
    simulator.injectFault({ type: 'http', status: 422, body: { detail: [{ loc: ['body', 'language'], msg: 'Unsupported language', type: 'value_error' }] } });
    const result = await transcribe(simulator, [audioPath, '-l', '999']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/camb-rx: CAMB answered 422 to POST .*Unsupported language/);
    expect(simulator.requests).toHaveLength(1);
    expectNoKey(result);
  });

  it.each([
    ['a missing file', ['/no/such/file.wav', '-l', '1'], /cannot read \/no\/such\/file\.wav: no such file/],
    ['a directory', ['/tmp', '-l', '1'], /cannot read \/tmp: it is a directory, not a file/],
    ['a negative --language', ['FILE', '-l', '-3'], /--language must be a positive whole number \(CAMB's language id, 1 = en-us\), got "-3"/],
    ['--kind, an option of watch', ['FILE', '-l', '1', '--kind', 'dub'], /--kind is an option of watch/],
    ['no --language', ['FILE'], /transcribe needs --language <id>/],
    ['a bad --language', ['FILE', '-l', 'en'], /--language must be a positive whole number/],
    ['an unknown format', ['FILE', '-l', '1', '-f', 'docx'], /--format must be one of text, json, srt, vtt/],
    ['two sources', ['FILE', 'FILE', '-l', '1'], /exactly one file or http\(s\) URL/],
    ['--json, an option of watch', ['FILE', '-l', '1', '--json'], /--json is an option of watch/],
  ])('exits 2 for %s, sending nothing', async (_name, args, message) => {
    const simulator = await simulatorWith();
    const result = await transcribe(simulator, args.map((arg) => (arg === 'FILE' ? audioPath : arg)));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(simulator.requests).toHaveLength(0);
  });

  it('says once that CAMB refused the key (401), with what to check', async () => {
    const simulator = await simulatorWith();
    const result = await runCli(['transcribe', audioPath, '-l', '1', '--base-url', simulator.url], { env: { CAMB_API_KEY: 'sk-camb-revoked-1234' } });
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe('camb-rx: CAMB refused the API key (401 Unauthorized): check CAMB_API_KEY, or --api-key');
    expect(simulator.tasks).toHaveLength(0);
  });

  it('notes each retry on the progress, e.g. a create refused with 429', async () => {
    const simulator = await simulatorWith();
    simulator.injectFault({ type: 'http', status: 429, retryAfter: 0 }, { path: '/apis/transcribe' });
    const result = await transcribe(simulator, [audioPath, '-l', '1']);
    expect(result.code).toBe(0);
    expect(result.stderr.split('\n')[1]).toBe('retrying (429), 2nd attempt in 0.0 s (Retry-After)');
    expect(result.stderr).toContain(`created task ${simulator.tasks[0]?.id}`);
  });

  it('when it gives up on a created task (--timeout), says how to follow it with camb-rx watch', async () => {
    const simulator = await simulatorWith({ pendingPolls: 1_000_000 });
    const result = await transcribe(simulator, [audioPath, '-l', '1', '--timeout', '300ms']);
    expect(result.code).toBe(1);
    const taskId = simulator.tasks[0]?.id ?? '';
    expect(result.stderr.trimEnd().split('\n').slice(-3)).toEqual([
      expect.stringMatching(/^camb-rx: .*300 ms/),
      `task ${taskId} goes on at CAMB; to follow it:`,
      `  camb-rx watch ${taskId} --base-url ${simulator.url}`,
    ]);
    const resumed = await runCli(['watch', taskId, '--base-url', simulator.url, '--timeout', '300ms', '--json'], { env: { CAMB_API_KEY: KEY } });
    expect(resumed.stdout).toContain(`"taskId":"${taskId}","kind":"transcribe","status":"PENDING"`);
  });

  it('on SIGINT during the upload, aborts it (the simulator sees the connection closed) and exits 130', async () => {
    const simulator = await simulatorWith();
    simulator.injectFault({ type: 'hang' }, { path: '/apis/transcribe' });
    const run = startCli(['transcribe', audioPath, '-l', '1', '--base-url', simulator.url], { env: { CAMB_API_KEY: KEY } });
    const create = await simulator.waitForRequest((e) => e.route === 'create', 10_000);
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('camb-rx: interrupted');
    await expect(simulator.waitForClose(create, 3000)).resolves.toMatchObject({ closedByClient: true });
    expect(simulator.tasks).toHaveLength(0);
  });
});
