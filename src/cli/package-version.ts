import { readFileSync } from 'node:fs';

/**
 * The version of the installed camb-rx, for `camb-rx --version`: read from the package.json
 * next to `dist/` (or, running from `src/cli/`, two folders up).
 *
 * @returns e.g. `0.1.0`
 */
export function packageVersion(): string {
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'camb-rx' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // Not there: try the next folder up.
    }
  }
  throw new Error('cannot find the package.json of camb-rx');
}
