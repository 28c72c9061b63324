// `npm run bench` figures for `gtm-template preview` on the giosg template as it ships: starting the
// preview (server, snapshot, the page's script built with esbuild), opening the page in headless
// Chromium until the form is drawn, and one "Fire" from the click to the result panel (validation,
// data from the form, the firing in the browser realm, the server's request log), on a warm page.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startPreview } from '../src/cli/preview.js';
import { CHROMIUM_MISSING, findChromium, OfflineBrowser } from '../src/sandbox/browser/chromium.js';
import { measure, printTable } from './measure.js';

const TITLE = 'preview: the giosg template (build/template.tpl) in the preview page, headless Chromium';

async function fireOnce(page: Page): Promise<void> {
  const shown = Number((await page.getAttribute('#result', 'data-shown')) ?? 0);
  await page.click('#fire');
  await page.waitForSelector(`#result[data-shown="${shown + 1}"] .report[data-outcome="success"]`);
}

export async function run(): Promise<void> {
  const executablePath = findChromium();
  if (!executablePath) {
    console.log(`\n## ${TITLE}\nskipped: ${CHROMIUM_MISSING}`);
    return;
  }
  const target = { kind: 'file' as const, path: path.resolve(process.cwd(), 'build/template.tpl') };
  const start = await measure(
    'start: server and snapshot, then the page and its agent built (first GET / and /__page/)',
    async () => {
      const preview = await startPreview(target, 0);
      await (await fetch(preview.server.url)).text();
      await (await fetch(new URL('/__page/', preview.server.url))).text();
      await preview.stop();
    },
    { runs: 5, warmup: 1 },
  );
  const preview = await startPreview(target, 0);
  const browser = await OfflineBrowser.launch({ executablePath });
  try {
    const page = await browser.newPage();
    const open = await measure(
      'open: page load until the form is drawn',
      async () => {
        await page.goto(preview.server.url);
        await page.waitForSelector('#form [data-name="action"]');
      },
      { runs: 10, warmup: 2 },
    );
    await page.click(`[data-add-row='["properties"]']`);
    await page.fill(`[data-bind='["properties",0,"key"]']`, 'username');
    await page.fill(`[data-bind='["properties",0,"value"]']`, 'Jane Doe');
    const fire = await measure('Fire: click to result panel, warm page', () => fireOnce(page), {
      runs: 20,
      warmup: 3,
    });
    printTable(TITLE, [start, open, fire]);
    if (browser.escaped().length || browser.offsite.length) throw new Error('a request left loopback');
  } finally {
    await browser.close();
    await preview.stop();
  }
}
