import { UsageError } from './usage-error.js';

const unitMs: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The longest delay a timer can wait (about 24.8 days), the most any duration option may be. */
const MAX_DURATION_MS = 2_147_483_647;

/** What a duration option accepts, for {@link parseDuration}. */
export interface DurationRule {
  /** A value to show in the message, e.g. `90s`. */
  readonly example: string;
  /**
   * The shortest duration allowed, in ms.
   * @default 0
   */
  readonly minMs?: number;
}

/**
 * Reads a duration option: a number of seconds (`2`, `0.5`), or a number with a unit
 * (`500ms`, `2s`, `5m`, `1h`), up to about 24 days.
 *
 * @param option - the option's name, for the message, e.g. `--timeout`
 * @param text - the value given
 * @param rule - an example for the message, and the least value
 * @returns milliseconds
 * @throws UsageError for anything else, in the command line's words: `--timeout must be a duration like 90s, got "soon"`
 */
export function parseDuration(option: string, text: string, { example, minMs = 0 }: DurationRule): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const ms = match ? Math.round(Number(match[1]) * (unitMs[match[2] ?? 's'] ?? 1000)) : NaN;
  if (!(ms >= minMs && ms <= MAX_DURATION_MS)) {
    const range = minMs > 0 ? `from ${minMs}ms to 596h` : 'up to 596h';
    throw new UsageError(`${option} must be a duration like ${example} (ms, s, m or h, ${range}), got ${JSON.stringify(text)}`);
  }
  return ms;
}
