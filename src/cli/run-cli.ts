import type { CliIo } from './cli-io.js';
import { errorMessage } from './describe-outcome.js';
import { ExitCodes, type ExitCode } from './exit-codes.js';
import { packageVersion } from './package-version.js';
import { parseCommandLine } from './parse-command-line.js';
import { redacting, secretsOf } from './redact.js';
import { transcribeCommand } from './transcribe-command.js';
import { usage } from './usage.js';
import { UsageError } from './usage-error.js';
import { watchCommand } from './watch-command.js';

/**
 * Runs one `camb-rx` command line. Every output goes through a filter that keeps the API key out.
 *
 * @param argv - the arguments after the script name
 * @param io - the process's streams and environment
 * @param signal - aborted on SIGINT: the command tears down and 130 is returned
 * @returns the exit code
 */
export async function runCli(argv: readonly string[], io: CliIo, signal: AbortSignal): Promise<ExitCode> {
  const secrets = secretsOf(argv, io.env);
  const safe: CliIo = { ...io, stdout: redacting(io.stdout, secrets), stderr: redacting(io.stderr, secrets) };
  try {
    const commandLine = parseCommandLine(argv, io.env, io.stdin.isTTY === true);
    switch (commandLine.command) {
      case 'help':
        safe.stdout.write(usage);
        return ExitCodes.ok;
      case 'version':
        safe.stdout.write(`${packageVersion()}\n`);
        return ExitCodes.ok;
      case 'watch':
        return await watchCommand(commandLine, safe, signal);
      case 'transcribe':
        return await transcribeCommand(commandLine, safe, signal);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      safe.stderr.write(`camb-rx: ${error.message}\nRun "camb-rx --help" for usage.\n`);
      return ExitCodes.usage;
    }
    safe.stderr.write(`camb-rx: ${errorMessage(error)}\n`);
    return ExitCodes.failed;
  }
}
