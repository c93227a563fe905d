import type { OutputStream } from './cli-io.js';

/** Secrets shorter than this are not redacted: they would mangle ordinary text. */
const MIN_SECRET_LENGTH = 4;

/**
 * The API keys a command line may carry: `CAMB_API_KEY` and the value of `--api-key`.
 *
 * @param argv - the arguments after the script name
 * @param env - the environment
 * @returns the keys to keep out of every output
 */
export function secretsOf(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string[] {
  const secrets = [env['CAMB_API_KEY']];
  argv.forEach((arg, i) => {
    if (arg === '--api-key') secrets.push(argv[i + 1]);
    else if (arg.startsWith('--api-key=')) secrets.push(arg.slice('--api-key='.length));
  });
  return secrets.filter((secret): secret is string => secret !== undefined && secret.length >= MIN_SECRET_LENGTH);
}

/**
 * Wraps a stream so that no secret is ever written to it; a last line of defence, as nothing the
 * CLI prints should hold a key in the first place.
 *
 * @param stream - the stream
 * @param secrets - the strings to replace with `[redacted]`
 * @returns a stream with the same terminal facts
 */
export function redacting(stream: OutputStream, secrets: readonly string[]): OutputStream {
  const redact = (text: string) => secrets.reduce((result, secret) => result.split(secret).join('[redacted]'), text);
  return {
    write: (text) => stream.write(redact(text)),
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    get rows() {
      return stream.rows;
    },
  };
}
