import { describe, expect, it } from 'vitest';
import { parseCommandLine, type TranscribeArgs, type WatchArgs } from '../../src/cli/parse-command-line.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { TaskKinds } from '../../src/index.js';

const env = { CAMB_API_KEY: 'sk-test-key' };
const watch = (argv: string[], environment: Record<string, string> = env) => parseCommandLine(['watch', ...argv], environment, true) as WatchArgs;
const transcribe = (argv: string[]) => parseCommandLine(['transcribe', ...argv], env, true) as TranscribeArgs;
const usageError = (call: () => unknown): string => {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error('no UsageError was thrown');
};

describe('parseCommandLine', () => {
  it('asks for the version with --version or -v, anywhere', () => {
    for (const argv of [['--version'], ['-v'], ['watch', 'a', '--version']]) expect(parseCommandLine(argv, {}, true)).toEqual({ command: 'version' });
  });

  it('takes the base URL from --base-url, else CAMB_BASE_URL (an empty one counts as unset)', () => {
    const fromEnv = { ...env, CAMB_BASE_URL: 'https://gateway.example.com/apis' };
    expect(watch(['a'], fromEnv).connection.baseUrl).toBe('https://gateway.example.com/apis');
    expect(watch(['a', '--base-url', 'http://127.0.0.1:9/apis'], fromEnv).connection.baseUrl).toBe('http://127.0.0.1:9/apis');
    expect(watch(['a'], { ...env, CAMB_BASE_URL: '' }).connection).not.toHaveProperty('baseUrl');
  });

  it('passes --allow-insecure-http on, and leaves it out otherwise', () => {
    expect(watch(['a', '--allow-insecure-http']).connection.allowInsecureHttp).toBe(true);
    expect(transcribe(['f.wav', '-l', '1']).connection).not.toHaveProperty('allowInsecureHttp');
  });

  it('reads --kind (transcribe by default) and the budget of watch', () => {
    expect(watch(['a'])).toMatchObject({ kind: TaskKinds.transcribe, budget: {} });
    expect(watch(['a', '--kind', 'dub', '--max-rps', '5', '--max-concurrent=2'])).toMatchObject({
      kind: 'dub',
      budget: { maxRequestsPerSecond: 5, maxConcurrentRequests: 2 },
    });
  });

  it('takes a value that starts with a dash as the value, so that its own check words the error', () => {
    expect(watch(['a', '--api-key', '-dash-key']).connection.apiKey).toBe('-dash-key');
    expect(usageError(() => watch(['a', '--interval', '-5']))).toBe('--interval must be a duration like 2s (ms, s, m or h, up to 596h), got "-5"');
    expect(usageError(() => transcribe(['f.wav', '-l', '-1']))).toBe('--language must be a positive whole number (CAMB\'s language id, 1 = en-us), got "-1"');
  });

  it('--interval adaptive[:<mean lag>] gives the command one adaptive cadence', () => {
    const plain = watch(['a', '--interval', 'adaptive']).connection.interval;
    const quick = watch(['a', '--interval', 'adaptive:2s']).connection.interval;
    expect(typeof plain === 'object' && typeof plain.snapshot).toBe('function');
    expect(typeof quick === 'object' && quick.nextDelayMs(0)).toBeLessThan(typeof plain === 'object' ? plain.nextDelayMs(0) : 0);
    expect(usageError(() => watch(['a', '--interval', 'adaptive:soon']))).toMatch(/--interval adaptive:<mean lag> must be a duration/);
  });

  it.each([
    [['watch', 'a', '--timeout', 'soon'], '--timeout must be a duration like 90s (ms, s, m or h, from 1ms to 596h), got "soon"'],
    [['watch', 'a', '--timeout', '0'], '--timeout must be a duration like 90s (ms, s, m or h, from 1ms to 596h), got "0"'],
    [['watch', 'a', '--interval', '600h'], '--interval must be a duration like 2s (ms, s, m or h, up to 596h), got "600h"'],
    [['watch', 'a', '--interval'], '--interval needs a value'],
    [['watch', 'a', '--interval', '--json'], '--interval needs a value'],
    [['watch', 'a', '--kind', 'dubbing'], `--kind must be one of ${Object.values(TaskKinds).join(', ')}, got "dubbing"`],
    [['watch', 'a', '--max-rps', '0'], '--max-rps must be a positive whole number, got "0"'],
    [['watch', 'a', '--max-concurrent', '1.5'], '--max-concurrent must be a positive whole number, got "1.5"'],
    [['watch', 'a', '--max-rps', '99999999999999999999'], '--max-rps must be a positive whole number, got "99999999999999999999"'],
    [['transcribe', 'f.wav', '-l', '1', '--kind', 'dub'], '--kind is an option of watch, not of transcribe'],
    [['transcribe', 'f.wav', '-l', '1', '--max-rps', '2'], '--max-rps is an option of watch, not of transcribe'],
  ])('%j: %s', (argv, message) => {
    expect(usageError(() => parseCommandLine(argv, env, true))).toBe(message);
  });
});
