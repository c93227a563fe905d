import { UsageError } from './usage-error.js';

const unitMs: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Reads a duration option: a number of seconds (`2`, `0.5`), or a number with a unit
 * (`500ms`, `2s`, `5m`, `1h`).
 *
 * @param option - the option's name, for the message
 * @param text - the value given
 * @returns milliseconds
 * @throws UsageError for anything else
 */
export function parseDuration(option: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new UsageError(`${option} must be a duration such as 500ms, 2s, 5m or 1h, got ${JSON.stringify(text)}`);
  return Math.round(Number(match[1]) * (unitMs[match[2] ?? 's'] ?? 1000));
}
