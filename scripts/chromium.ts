// Chromium for the browser tests: finds it, and installs Debian's `chromium` where it is missing.
//
//   node scripts/run-ts.js scripts/chromium.ts            find it; install it if missing and possible
//   node scripts/run-ts.js scripts/chromium.ts --require  the same, but exit 1 if it is still missing (CI)
//
// Installing runs `apt-get update` and `apt-get install -y chromium`, and says so first. It is only
// tried as root on a machine with apt-get (Debian and its kin); anywhere else this prints nothing
// and the browser suites say in one line how to install it (test/browser/global-setup.ts).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM_MISSING, chromiumVersion, findChromium } from '../src/sandbox/browser/chromium.js';

const required = process.argv.includes('--require');

function canInstall(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
}

function run(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

let executable = findChromium();
if (!executable && process.env.CHROMIUM_PATH) {
  // The user chose a browser: installing another one would not be used.
  console.error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable file.`);
  process.exit(required ? 1 : 0);
}
if (!executable && canInstall()) {
  console.log(
    "Chromium is missing; installing Debian's chromium for the browser tests: apt-get update && apt-get install -y chromium",
  );
  if (run('apt-get', ['update', '-qq']) && run('apt-get', ['install', '-y', '-qq', 'chromium'])) {
    executable = findChromium();
    if (executable) console.log(`Installed: ${chromiumVersion(executable) ?? executable}`);
  }
}
if (!executable && required) {
  console.error(CHROMIUM_MISSING);
  process.exit(1);
}
