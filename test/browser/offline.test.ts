// The browser never reaches the network: requests off loopback are answered locally or aborted and
// logged, and a connection that bypasses Playwright's routing (a WebSocket) is both reported by
// `escaped()` and stopped by the proxy that does not exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopback, OfflineBrowser } from '../../src/sandbox/browser/chromium.js';
import { chromiumPath, describeInBrowser } from './helpers.js';
import { sitePage } from './site.js';

describe('isLoopback', () => {
  it('is true for 127.0.0.0/8, localhost, [::1] and non-network schemes only', () => {
    const yes = [
      'http://127.0.0.1:8080/a',
      'https://127.1.2.3/',
      'http://localhost/',
      'http://[::1]:3000/',
      'data:text/plain,x',
      'about:blank',
    ];
    const no = [
      'https://example.com/',
      'http://10.0.0.1/',
      'http://192.168.1.1/',
      'https://localhost.example.com/',
      'wss://service.giosg.com/',
      'not a url',
    ];
    expect(yes.filter(isLoopback)).toEqual(yes);
    expect(no.filter(isLoopback)).toEqual([]);
  });
});

describeInBrowser('requests off loopback', (fixture) => {
  it('are answered by stand-ins, images by a recorded pixel, everything else aborted; all logged', async () => {
    fixture.browser.clearLog();
    fixture.browser.answer('https://vendor.test/tag.js', {
      contentType: 'text/javascript',
      body: 'window.vendorLoaded = true;',
    });
    const url = fixture.site.page(
      '/offsite.html',
      sitePage({
        sandbox: false,
        head: '<script src="https://vendor.test/tag.js"></script><script src="https://other.test/x.js"></script>',
        body: '<img id="p" src="https://pixel.test/p.gif?x=1">',
      }),
    );
    const page = await fixture.browser.newPage();
    await page.goto(url);
    expect(
      await page.evaluate(() => [
        (window as unknown as { vendorLoaded?: boolean }).vendorLoaded,
        (document.getElementById('p') as HTMLImageElement).naturalWidth,
      ]),
    ).toEqual([true, 1]);
    expect(fixture.browser.offsite.map((o) => [o.url, o.answer]).sort()).toEqual([
      ['https://other.test/x.js', 'aborted'],
      ['https://pixel.test/p.gif?x=1', 'pixel'],
      ['https://vendor.test/tag.js', 'stand-in'],
    ]);
    await page.close();
  });
});

describe.skipIf(!chromiumPath)('a connection that bypasses the routing', () => {
  let browser: OfflineBrowser;
  beforeAll(async () => {
    browser = await OfflineBrowser.launch({ executablePath: chromiumPath });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('is reported by escaped(), and does not connect', async () => {
    browser.answer('https://site.test/', {
      contentType: 'text/html',
      body: '<!doctype html><title>t</title>',
    });
    const page = await browser.newPage();
    await page.goto('https://site.test/');
    const outcome = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket('wss://echo.websocket.test/');
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('error');
          setTimeout(() => resolve('timeout'), 10_000);
        }),
    );
    expect(outcome).toBe('error');
    expect(browser.escaped()).toEqual(['wss://echo.websocket.test/']);
  });
});
