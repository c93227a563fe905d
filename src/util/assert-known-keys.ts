/**
 * The option names of an options type, checked by the compiler against it: a name missing from
 * the record, or one the type does not have, does not compile.
 *
 * @example
 * ```ts
 * const sizeKeys = optionKeys<{ width?: number; height?: number }>({ width: true, height: true });
 * ```
 */
export function optionKeys<T>(record: { readonly [K in keyof Required<T>]: true }): readonly string[] {
  return Object.keys(record);
}

/** Edit distance between two names: insertions, deletions and substitutions (Levenshtein). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * The known name a misspelt one most likely meant: the same in another case, a few edits away, or
 * cut short (`wordLevel` for `wordLevelTimestamps`).
 */
function closestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const other = candidate.toLowerCase();
    const cutShort = lower.length >= 4 && (other.startsWith(lower) || lower.startsWith(other));
    const d = distance(lower, other);
    if ((cutShort || d <= Math.max(1, Math.floor(candidate.length / 3))) && (!best || d < best.distance)) best = { name: candidate, distance: d };
  }
  return best?.name;
}

/**
 * Refuses a property that an options object does not know — most often a misspelt option, which
 * would otherwise be ignored in silence — with a `TypeError` naming the closest known option.
 * Does nothing for a value that is not an object (the resolver refuses that).
 *
 * @param options - the options as given
 * @param known - every option name they may hold (spread several lists for combined options)
 * @param prefix - the path of a nested object in messages, e.g. `retry.`
 */
export function assertKnownKeys(options: unknown, known: readonly string[], prefix = ''): void {
  if (typeof options !== 'object' || options === null) return;
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const closest = closestName(key, known);
    const hint = closest ? `did you mean \`${prefix}${closest}\`?` : `the options here are ${known.map((k) => `\`${prefix}${k}\``).join(', ')}`;
    throw new TypeError(`camb-rx: unknown option \`${prefix}${key}\`; ${hint}`);
  }
}
