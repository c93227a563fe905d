/**
 * A count and its noun, in the singular for exactly one: `1 poll`, `0 polls`, `3 polls`.
 *
 * @param count - how many
 * @param singular - the noun for one
 * @param pluralForm - the noun for any other count
 * @returns e.g. `"1 poll"`
 * @internal
 */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
