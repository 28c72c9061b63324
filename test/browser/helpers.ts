// Shared set-up of the browser suites: one offline Chromium and one local site per file, a check
// after every test that no request left loopback unanswered, and what happens without Chromium:
// locally the suites are skipped (the one-line reason is printed by global-setup.ts); in CI
// (CI=true or GTM_TEMPLATE_REQUIRE_BROWSER=1) they fail with that line instead.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_MISSING, findChromium, OfflineBrowser } from '../../src/sandbox/browser/chromium.js';
import { TestSite } from './site.js';

export const chromiumPath = findChromium();
export const browserRequired = process.env.CI === 'true' || process.env.GTM_TEMPLATE_REQUIRE_BROWSER === '1';

export interface BrowserFixture {
  browser: OfflineBrowser;
  site: TestSite;
}

/**
 * A browser suite: `body` gets a fixture whose `browser` and `site` are ready inside tests. After
 * each test the fixture asserts that no request escaped to the network.
 */
export function describeInBrowser(name: string, body: (fixture: BrowserFixture) => void): void {
  if (!chromiumPath) {
    if (browserRequired)
      describe(name, () => it('has Chromium to run in', () => expect.fail(CHROMIUM_MISSING)));
    else describe.skip(name, () => body({} as BrowserFixture));
    return;
  }
  describe(name, () => {
    const fixture = {} as BrowserFixture;
    beforeAll(async () => {
      fixture.site = new TestSite();
      await fixture.site.start();
      fixture.browser = await OfflineBrowser.launch({ executablePath: chromiumPath });
    });
    afterEach(() => {
      expect(fixture.browser.escaped(), 'requests that left loopback unanswered').toEqual([]);
    });
    afterAll(async () => {
      await fixture.browser?.close();
      await fixture.site?.stop();
    });
    body(fixture);
  });
}
