// Shared set-up of the preview's browser suites: one offline Chromium per file, a preview server per
// test target, and after every test a check that no request left loopback. Without Chromium the
// suites are skipped locally and fail in CI, as the other browser suites do.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPreview, type PreviewTarget, type RunningPreview } from '../../src/cli/preview.js';
import { CHROMIUM_MISSING, OfflineBrowser } from '../../src/sandbox/browser/chromium.js';
import { browserRequired, chromiumPath } from '../browser/helpers.js';

export interface PreviewFixture {
  browser: OfflineBrowser;
  /** Starts the preview of `target` and opens it in a new page (closed after the test). */
  open(target: PreviewTarget): Promise<{ page: Page; preview: RunningPreview }>;
}

export function describePreview(name: string, body: (fixture: PreviewFixture) => void): void {
  if (!chromiumPath) {
    if (browserRequired)
      describe(name, () => it('has Chromium to run in', () => expect.fail(CHROMIUM_MISSING)));
    else describe.skip(name, () => body({} as PreviewFixture));
    return;
  }
  describe(name, () => {
    const opened: { page: Page; preview: RunningPreview }[] = [];
    const fixture: PreviewFixture = {
      browser: undefined as unknown as OfflineBrowser,
      async open(target) {
        const preview = await startPreview(target, 0);
        const page = await fixture.browser.newPage();
        await page.setViewportSize({ width: 1400, height: 1000 });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(preview.server.url);
        await page.waitForSelector('#form .field');
        const entry = { page, preview };
        opened.push(entry);
        return entry;
      },
    };
    beforeAll(async () => {
      fixture.browser = await OfflineBrowser.launch({ executablePath: chromiumPath });
    });
    afterEach(async () => {
      expect(fixture.browser.escaped(), 'requests that left loopback unanswered').toEqual([]);
      expect(fixture.browser.offsite, 'requests the browser itself sent off loopback').toEqual([]);
      for (const { page, preview } of opened.splice(0)) {
        await page.close();
        await preview.stop();
      }
    });
    afterAll(async () => {
      await fixture.browser?.close();
    });
    body(fixture);
  });
}

/** The selector of the input bound to `path` in the form (`data-bind` holds the JSON path). */
export const bound = (...path: (string | number)[]) => `[data-bind='${JSON.stringify(path)}']`;

/** Fires and waits for the result panel to show what happened; returns the outcome shown. */
export async function fire(page: Page): Promise<string> {
  const shown = Number((await page.getAttribute('#result', 'data-shown')) ?? 0);
  await page.click('#fire');
  await page.waitForSelector(`#result[data-shown="${shown + 1}"]`);
  return (await page.getAttribute('#result .report', 'data-outcome')) ?? '';
}

/** The text of each entry of a result section, e.g. `Calls to page functions`. */
export async function sectionLines(page: Page, title: string): Promise<string[]> {
  return page.locator(`#result [data-section="${title}"] li`).allTextContents();
}
