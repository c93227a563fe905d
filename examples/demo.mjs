/**
 * The camb-rx demo (`npm run demo`): a CAMB simulator on 127.0.0.1 with a dozen scripted tasks,
 * the `camb-rx watch` CLI following them live, then `camb-rx transcribe` uploading a one-second
 * tone and printing its transcript. Works in a terminal and piped; exits 0 when everything went
 * as scripted.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCambSimulator } from 'camb-rx/testing';
import { sineWav } from './demo-sine-wav.mjs';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
/** No CLI run may take longer than this; it is interrupted then. */
const RUN_LIMIT_MS = 30_000;

const failing = (status, exceptionReason, message) => ({ status, exceptionReason, message });
/** Twelve tasks, 1 to 6 s long: three fail, four are behind faults the CLI recovers from. */
const tasks = [
  { id: 'interview-01', pendingMs: 1000 },
  { id: 'voicemail-02', pendingMs: 1200, faults: { 1: { type: 'http', status: 502 }, 2: { type: 'reset-before-headers' } } },
  { id: 'podcast-03', pendingMs: 1600 },
  { id: 'keynote-04', pendingMs: 2000, faults: { 1: { type: 'http', status: 503 } } },
  { id: 'lecture-05', pendingMs: 2500, outcome: failing('ERROR', 'SOURCE_TOO_LONG', 'The audio is longer than 2 hours') },
  { id: 'meeting-06', pendingMs: 3000, faults: { 2: { type: 'reset-before-headers' } } },
  { id: 'webinar-07', pendingMs: 3500 },
  { id: 'sermon-08', pendingMs: 4000, outcome: failing('TIMEOUT', 'PROCESSING_ERROR', 'Processing took too long') },
  { id: 'standup-09', pendingMs: 4500, faults: { 3: { type: 'http', status: 429, retryAfter: 1 } } },
  { id: 'trailer-10', pendingMs: 5000, outcome: failing('PAYMENT_REQUIRED', 'PAYMENT_REQUIRED', 'Out of credits') },
  { id: 'audiobook-11', pendingMs: 5500 },
  { id: 'briefing-12', pendingMs: 6000 },
];
const tone = [
  { start: 0, end: 0.55, text: 'A pure tone at 440 hertz,', speaker: 'SPEAKER_0' },
  { start: 0.55, end: 1, text: 'one second long.', speaker: 'SPEAKER_0' },
];

/**
 * Runs the CLI as a child process; its stderr (and stdout, unless captured) is this terminal's.
 *
 * @returns {Promise<{ code: number | null, stdout: string }>}
 */
function camb(args, { env, captureStdout = false }) {
  console.log(`$ camb-rx ${args.join(' ')}`);
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', captureStdout ? 'pipe' : 'inherit', 'inherit'] });
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  const limit = setTimeout(() => child.kill('SIGINT'), RUN_LIMIT_MS);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(limit);
      resolve({ code, stdout });
    });
  });
}

const heading = (text) => console.log(`\n== ${text}\n`);
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

const started = performance.now();
let interrupted = false;
process.once('SIGINT', () => (interrupted = true)); // the CLI gets it too, and stops cleanly

const simulator = await startCambSimulator({ tasks, createdTask: { pendingMs: 1500, transcript: tone } });
const workDir = await mkdtemp(join(tmpdir(), 'camb-rx-demo-'));
try {
  const env = { CAMB_API_KEY: simulator.apiKey };
  const connection = ['--base-url', simulator.url];

  heading(`1. camb-rx watch: ${tasks.length} tasks on a CAMB simulator at ${simulator.url}; 3 are scripted to fail, 4 sit behind 502/503/reset/429 faults`);
  const watch = await camb(['watch', ...tasks.map((t) => t.id), ...connection, '--interval', '0.5'], { env });
  const outcomes = simulator.tasks.map((t) => t.status);
  const succeeded = outcomes.filter((s) => s === 'SUCCESS').length;

  heading('2. camb-rx transcribe: upload a one-second 440 Hz tone (a WAV made on the spot), print the transcript as SRT');
  const wav = sineWav();
  const wavPath = join(workDir, 'tone.wav');
  await writeFile(wavPath, wav);
  const transcribe = await camb(['transcribe', wavPath, '--language', '1', '--format', 'srt', ...connection, '--interval', '0.3'], { env, captureStdout: true });
  console.log(`\n${transcribe.stdout.trimEnd()}`);
  const upload = simulator.requests.find((e) => e.route === 'create')?.form?.media_file;
  const uploadOk = typeof upload === 'object' && upload.size === wav.length && upload.sha256 === sha256(wav);
  console.log(`\nthe simulator received ${upload?.fileName ?? 'nothing'}: ${upload?.size ?? 0} bytes, sha256 ${uploadOk ? 'matches' : 'DOES NOT match'}`);

  const faulted = simulator.requests.filter((e) => e.fault).length;
  const asScripted = !interrupted && watch.code === 1 && succeeded === 9 && transcribe.code === 0 && uploadOk;
  heading(asScripted ? 'Done: everything went as scripted' : 'Something did not go as scripted');
  console.log(
    `demo summary: watch exited ${watch.code} (${succeeded} done / ${tasks.length - succeeded} failed, 9 / 3 scripted), ` +
      `transcribe exited ${transcribe.code} (${tone.length} segments); the simulator answered ${simulator.requests.length} requests, ` +
      `${faulted} of them with a fault the CLI recovered from; ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  process.exitCode = interrupted ? 130 : asScripted ? 0 : 1;
} finally {
  await rm(workDir, { recursive: true, force: true });
  await simulator.close();
}
