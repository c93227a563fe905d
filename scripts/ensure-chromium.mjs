/**
 * Runs before `npm test`: the browser test drives Debian's Chromium (/usr/bin/chromium) through
 * playwright-core, which never downloads a browser. If it is missing and we are root on a Debian
 * machine, install it with apt; otherwise say how to, and fail.
 *
 *   node scripts/ensure-chromium.mjs
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = '/usr/bin/chromium';
if (!existsSync(chromium)) {
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    console.error(`The browser test needs Debian's Chromium at ${chromium}: run  sudo apt-get install -y chromium`);
    process.exit(1);
  }
  console.log(`Installing Debian's chromium for the browser test (apt-get)…`);
  const apt = (...args) => execFileSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  apt('update', '-qq');
  apt('install', '-y', '-qq', 'chromium');
}
