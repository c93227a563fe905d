/** The `camb-rx` command: watch CAMB tasks and transcribe media from a terminal (see usage.ts). */
import { runCli } from './run-cli.js';

const interrupt = new AbortController();
// Once: a second Ctrl-C gets Node's default, an immediate exit, should teardown ever hang.
process.once('SIGINT', () => interrupt.abort());

const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
process.exitCode = await runCli(process.argv.slice(2), io, interrupt.signal);
