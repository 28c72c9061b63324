// Once per test run: without Chromium the browser suites cannot run; say so in one line (they are
// skipped locally and fail in CI, see helpers.ts).
import { CHROMIUM_MISSING, findChromium } from '../../src/sandbox/browser/chromium.js';

export default function setup(): void {
  if (!findChromium()) console.warn(`browser suites: ${CHROMIUM_MISSING}`);
}
