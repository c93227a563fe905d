const units = ['kB', 'MB', 'GB', 'TB'] as const;

/**
 * Formats a size for people, in decimal units with at most one decimal: `512 B`, `48.8 kB`,
 * `51.2 MB`, `3.0 GB`.
 *
 * @param bytes - a whole number of bytes
 * @returns the short text
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  let value = bytes;
  for (const unit of units) {
    value /= 1000;
    // 999.96 kB would print as "1000.0 kB": move on to the next unit instead.
    if (Number(value.toFixed(1)) < 1000 || unit === units[units.length - 1]) return `${value.toFixed(1)} ${unit}`;
  }
  return `${bytes} B`;
}
