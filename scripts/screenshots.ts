// Makes the README's pictures of `gtm-template preview`: the giosg tag's form as GTM shows it
// (docs/preview-form.png) and the result of firing it (docs/preview-fired.png). It starts the
// preview of build/template.tpl, drives it in headless Chromium (offline: every request off
// loopback is answered locally or refused, and the script fails if one escaped), fills the form
// as a marketing team would, fires, and writes the two PNGs.
//
//   npm run screenshots [-- --out dir]   (default docs/; needs Chromium: npm run setup:browser)

import path from 'node:path';
import { startPreview } from '../src/cli/preview.js';
import { OfflineBrowser } from '../src/sandbox/browser/chromium.js';

const root = path.resolve(import.meta.dirname, '..');
const outIndex = process.argv.indexOf('--out');
const outDir = outIndex > 0 ? path.resolve(process.argv[outIndex + 1] ?? '.') : path.join(root, 'docs');
const out = (name: string) => path.join(outDir, name);
const bound = (...p: (string | number)[]) => `[data-bind='${JSON.stringify(p)}']`;

const preview = await startPreview({ kind: 'file', path: path.join(root, 'build/template.tpl') }, 0);
let browser: OfflineBrowser | undefined;
try {
  browser = await OfflineBrowser.launch();
  const page = await browser.newPage();
  await page.setViewportSize({ width: 1360, height: 900 });
  await page.goto(preview.server.url);
  await page.waitForSelector('#form .field');
  // The status line names the file and the time; the pictures should not date.
  await page.addStyleTag({ content: '.status { visibility: hidden; }' });
  // A viewport as tall as the page: nothing scrolls, so the sticky bar covers nothing.
  const fitViewport = async () => {
    await page.setViewportSize({ width: 1360, height: 600 });
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: 1360, height });
    await page.evaluate(() => window.scrollTo(0, 0));
  };

  await page.click(`[data-add-row='["properties"]']`);
  await page.click(`[data-add-row='["properties"]']`);
  await page.fill(bound('properties', 0, 'key'), 'username');
  await page.fill(bound('properties', 0, 'value'), '{{DLV - user name}}');
  await page.fill(bound('properties', 1, 'key'), 'email');
  await page.fill(bound('properties', 1, 'value'), '{{DLV - user email}}');
  await page.locator(bound('properties', 1, 'type')).selectOption({ label: 'Text' });
  await page.locator('details.group summary', { hasText: 'Rooms' }).click();
  await page.click(`[data-add-row='["rooms"]']`);
  await page.locator(bound('rooms', 0, 'by')).selectOption({ label: 'Room name' });
  await page.fill(bound('rooms', 0, 'room'), 'Customer support');
  await page.click('[data-name="properties"] .help-toggle');
  await page.mouse.click(5, 5);
  await fitViewport();
  await page.locator('.tag-card').screenshot({ path: out('preview-form.png') });

  // The two data layer variables the form refers to, read from the simulated page's data layer.
  await page.click('.tab[data-tab="variables"]');
  for (const [i, [name, key]] of [
    ['DLV - user name', 'user.name'],
    ['DLV - user email', 'user.email'],
  ].entries()) {
    await page.click('[data-add="variable"]');
    await page.fill(`[data-variable-name="${i}"]`, name!);
    await page.fill(`[data-variable-value="${i}"]`, key!);
  }
  await page.click('.tab[data-tab="page"]');
  await page.click('[data-add="push"]');
  await page.fill(
    '[data-setup="dataLayer.0"]',
    "{ event: 'login', user: { name: 'Jane Doe', email: 'jane@example.com' } }",
  );
  await page.click('#fire');
  await page.waitForSelector('#result .report[data-outcome="success"]');
  await page.click('[data-name="properties"] .help-toggle');
  await fitViewport();
  await page.screenshot({ path: out('preview-fired.png') });

  const escaped = browser.escaped();
  if (escaped.length || browser.offsite.length)
    throw new Error(
      `requests left loopback: ${[...escaped, ...browser.offsite.map((r) => r.url)].join(', ')}`,
    );
  process.stdout.write(`wrote ${out('preview-form.png')} and ${out('preview-fired.png')}\n`);
} finally {
  await browser?.close();
  await preview.stop();
}
