// The browser realm: template code runs in the page against the real window and DOM, with the same
// language rules, permission checks and value crossing as in Node. Language rules and permission
// errors are compared with a Node run of the same code; page effects are read back from the page.
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { runTemplate, type RunResult } from '../../src/sandbox/index.js';
import { toWire } from '../../src/sandbox/browser/wire.js';
import type { Permission, Template } from '../../src/tpl/model.js';
import { globals, LOG_ALL, perm, template } from '../sandbox/helpers.js';
import { describeInBrowser } from './helpers.js';
import { sitePage } from './site.js';
import type { WireResult } from './page-driver.js';

/** Fires `t` in the page's sandbox (opened with `world` first when given). */
function fireInPage(page: Page, t: Template, data: object = {}, world?: object): Promise<WireResult> {
  return page.evaluate(
    async ([t, data, world]) => {
      const sandbox = (
        window as unknown as {
          gtmSandbox: { open(w: object): void; fire(t: object, d: object): Promise<WireResult> };
        }
      ).gtmSandbox;
      if (world) sandbox.open(world);
      return sandbox.fire(t, data);
    },
    [t, data, world] as const,
  );
}

/** The parts of a result both realms must agree on. */
function comparable(r: RunResult | WireResult) {
  const w = toWire(r) as WireResult & { returnValue: unknown };
  return {
    outcome: w.outcome,
    errorCode: w.errorCode,
    error: w.error,
    returnValue: w.returnValue,
    calls: w.calls,
    logs: w.logs,
  };
}

const probe = (code: string, permissions: Permission[] = []) => template(code, permissions);

describeInBrowser('the browser realm', (fixture) => {
  let page: Page;
  let origin: string;

  it('loads the sandbox bundle into a page of the site', async () => {
    const url = fixture.site.page(
      '/realm.html',
      sitePage({ head: '<script>window.pageGlobal = { n: 1 };</script>' }),
    );
    fixture.site.page('/script.js', '');
    origin = fixture.site.origin;
    page = await fixture.browser.newPage();
    await page.goto(url);
    expect(await page.evaluate(() => typeof (window as unknown as { gtmSandbox?: unknown }).gtmSandbox)).toBe(
      'object',
    );
  });

  it('runs the same language rules as Node: only GTM’s built-ins, no globals, same errors', async () => {
    const cases: [string, string][] = [
      // Stripped prototypes: no constructor, no Function, no Object methods beyond GTM's.
      [
        'built-ins',
        `const J = require('JSON'); return J.stringify([typeof [].constructor, typeof ''.constructor, typeof [].map, typeof [].flat, typeof ''.trim, typeof ''.at, typeof (1).toFixed, typeof {}.valueOf]);`,
      ],
      // A free name that is declared only elsewhere (the syntax check is flat) is not the page's global.
      ['no window', `function f(window) { return 0; } return window.document;`],
      ['sloppy global', `leaked = 5; return leaked + 1;`],
      ['runtime error', `const o = require('getType'); return o.missing.deeper;`],
      ['unknown API', `require('notAnApi');`],
      ['arguments is an array', `function f() { return arguments.slice(1).join('-'); } return f(1, 2, 3);`],
    ];
    for (const [name, code] of cases) {
      const t = probe(code);
      const inNode = comparable(runTemplate(t));
      const inPage = comparable(await fireInPage(page, t));
      expect(inPage, name).toEqual(inNode);
    }
    expect(comparable(runTemplate(probe(cases[0]![1]))).returnValue).toBe(
      '["undefined","undefined","function","undefined","function","undefined","undefined","undefined"]',
    );
    // And the page's own built-ins are untouched.
    expect(await page.evaluate(() => [typeof [].constructor, typeof ''.trim, typeof Object.keys])).toEqual([
      'function',
      'function',
      'function',
    ]);
  });

  it('checks permissions as in Node: a denied call names the permission and ends the run', async () => {
    const t = probe(`require('setInWindow')('pageGlobal', 2, true); require('logToConsole')('after');`, [
      LOG_ALL,
    ]);
    const inPage = await fireInPage(page, t);
    expect(comparable(inPage)).toEqual(comparable(runTemplate(t)));
    expect(inPage.outcome).toBe('error');
    expect(inPage.errorCode).toBe('sandbox/permission-denied');
    expect(inPage.error).toContain('access_globals');
    expect(await page.evaluate(() => (window as unknown as { pageGlobal: unknown }).pageGlobal)).toEqual({
      n: 1,
    });
  });

  it('ends a run that outlives its time limit, as in Node', async () => {
    const t = probe(`let n = 0; while (true) { n++; }`);
    const inPage = await fireInPage(page, t, {}, { timeLimitMs: 200 });
    expect([inPage.outcome, inPage.errorCode]).toEqual(['error', 'sandbox/time-limit']);
    expect(comparable(runTemplate(t, {}, { timeLimitMs: 200 })).errorCode).toBe('sandbox/time-limit');
  });

  it('setInWindow, copyFromWindow and callInWindow act on the real window; values cross as copies', async () => {
    await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      w.pageAdd = (a: { x: number }, b: number) => ({
        sum: a.x + b,
        protoIsPages: Object.getPrototypeOf(a) === Object.prototype,
      });
      w.pageData = { list: [1, 2], nested: { ok: true } };
    });
    const t = probe(
      `const set = require('setInWindow'), copy = require('copyFromWindow'), call = require('callInWindow');
       set('fromTag', { greeting: 'hi', twice: function (n) { return n * 2; } }, true);
       const copied = copy('pageData');
       copied.list.push(3); // a copy: the page's array stays
       return [call('pageAdd', { x: 40 }, 2), copied, copy('pageData.nested.ok')];`,
      [globals(['fromTag', 'rw'], ['pageData', 'r'], ['pageData.nested.ok', 'r'], ['pageAdd', 'x'])],
    );
    const r = await fireInPage(page, t);
    expect([r.outcome, r.error]).toEqual(['none', undefined]);
    expect((r as unknown as { returnValue: unknown }).returnValue).toEqual([
      { sum: 42, protoIsPages: true },
      { list: [1, 2, 3], nested: { ok: true } },
      true,
    ]);
    expect(
      await page.evaluate(() => {
        const w = window as unknown as {
          fromTag: { greeting: string; twice(n: number): number };
          pageData: unknown;
        };
        return [
          w.fromTag.greeting,
          w.fromTag.twice(21),
          Object.getPrototypeOf(w.fromTag) === Object.prototype,
          w.pageData,
        ];
      }),
    ).toEqual(['hi', 42, true, { list: [1, 2], nested: { ok: true } }]);
  });

  it('the queue APIs push onto the page’s own arrays', async () => {
    await page.evaluate(
      () => ((window as unknown as { dataLayer: unknown[] }).dataLayer = [{ event: 'gtm.js' }]),
    );
    const t = probe(
      `require('createQueue')('dataLayer')({ event: 'fromTag' });
       require('createArgumentsQueue')('vendor', 'vendor.q')('init', 7);`,
      [globals(['dataLayer', 'rw'], ['vendor', 'rw'], ['vendor.q', 'rw'])],
    );
    expect((await fireInPage(page, t)).outcome).toBe('none');
    expect(
      await page.evaluate(() => {
        const w = window as unknown as { dataLayer: unknown[]; vendor: { q: ArrayLike<unknown>[] } };
        return {
          dataLayer: w.dataLayer,
          queued: Array.from(w.vendor.q, (a) => [Object.prototype.toString.call(a), Array.from(a)]),
        };
      }),
    ).toEqual({
      dataLayer: [{ event: 'gtm.js' }, { event: 'fromTag' }],
      queued: [['[object Arguments]', ['init', 7]]],
    });
  });

  it('cookies, localStorage and the data layer are the page’s own', async () => {
    await page.evaluate(() => {
      document.cookie = 'visitor=abc%20def; path=/';
      localStorage.setItem('seen', 'yes');
      (window as unknown as { dataLayer: unknown[] }).dataLayer.push({ user: { id: 'u1', plan: 'gold' } });
    });
    const t = probe(
      `const ls = require('localStorage');
       require('setCookie')('fromTag', 'a b', { path: '/', 'max-age': 3600 });
       ls.setItem('written', 'by tag');
       return [require('getCookieValues')('visitor'), ls.getItem('seen'), require('copyFromDataLayer')('user.plan')];`,
      [
        perm('get_cookies', { cookieAccess: 'any' }),
        perm('set_cookies', {
          allowedCookies: [
            { name: 'fromTag', domain: '*', path: '*', secure: 'any', session: 'any' },
          ] as never,
        }),
        perm('access_local_storage', {
          keys: [
            { key: 'seen', read: true, write: false },
            { key: 'written', read: false, write: true },
          ] as never,
        }),
        perm('read_data_layer', { allowedKeys: 'any' }),
      ],
    );
    const r = await fireInPage(page, t);
    expect([r.outcome, r.error]).toEqual(['none', undefined]);
    expect((r as unknown as { returnValue: unknown }).returnValue).toEqual([['abc def'], 'yes', 'gold']);
    expect(
      await page.evaluate(() => [document.cookie.split('; ').sort(), localStorage.getItem('written')]),
    ).toEqual([['fromTag=a%20b', 'visitor=abc%20def'], 'by tag']);
    expect(r.cookies).toEqual(expect.arrayContaining([{ name: 'fromTag', value: 'a%20b' }]));
    expect(r.localStorage).toEqual({ seen: 'yes', written: 'by tag' });
  });

  it('injectScript adds a real <script> and calls back on its real load or error', async () => {
    await page.evaluate(() => ((window as unknown as { scriptRan?: boolean }).scriptRan = false));
    fixture.site.page('/vendor.js', '');
    const t = probe(
      `const log = require('logToConsole');
       require('injectScript')(data.url, function () { log('loaded', require('copyFromWindow')('scriptRan')); data.gtmOnSuccess(); },
         function () { log('failed'); data.gtmOnFailure(); });`,
      // gtm.js allows scripts from https URLs only (docs/runtime.md, "Permissions"): the vendor's
      // host is answered by a stand-in, not the loopback site.
      [
        perm('inject_script', { urls: ['https://scripts.vendor.test/*'] }),
        globals(['scriptRan', 'r']),
        LOG_ALL,
      ],
    );
    // The stand-in serves ok.js, which sets window.scriptRan; missing.js is not answered (aborted).
    fixture.browser.answer('https://scripts.vendor.test/ok.js', {
      contentType: 'text/javascript',
      body: 'window.scriptRan = true;',
    });
    const ok = await fireInPage(page, t, { url: 'https://scripts.vendor.test/ok.js' });
    const missing = await fireInPage(page, t, { url: 'https://scripts.vendor.test/missing.js' });
    expect([ok.outcome, ok.logs]).toEqual(['success', [['loaded', true]]]);
    expect([missing.outcome, missing.logs]).toEqual(['failure', [['failed']]]);
    expect(
      await page.evaluate(() =>
        Array.from(
          document.querySelectorAll('script[src*=".js"]'),
          (s) => new URL((s as HTMLScriptElement).src).pathname,
        ),
      ),
    ).toEqual(['/gtm-sandbox.js', '/ok.js', '/missing.js']);
  });

  it('sendPixel and injectHiddenIframe make real requests, answered locally', async () => {
    fixture.browser.clearLog();
    fixture.browser.answer('https://frame.vendor.test/', { contentType: 'text/html', body: '<p>frame</p>' });
    const t = probe(
      `require('sendPixel')('https://pixel.vendor.test/p.gif?e=1', function () {
         require('injectHiddenIframe')('https://frame.vendor.test/f.html', data.gtmOnSuccess);
       }, data.gtmOnFailure);`,
      [
        perm('send_pixel', { allowedUrls: 'specific', urls: ['https://pixel.vendor.test/*'] }),
        perm('inject_hidden_iframe', { urls: ['https://frame.vendor.test/*'] }),
      ],
    );
    const r = await fireInPage(page, t);
    expect(r.outcome).toBe('success');
    expect([r.pixels, r.iframes]).toEqual([
      ['https://pixel.vendor.test/p.gif?e=1'],
      ['https://frame.vendor.test/f.html'],
    ]);
    expect(fixture.browser.offsite.map((o) => [o.url, o.resourceType, o.answer])).toEqual([
      ['https://pixel.vendor.test/p.gif?e=1', 'image', 'pixel'],
      ['https://frame.vendor.test/f.html', 'document', 'stand-in'],
    ]);
    expect(
      await page.evaluate(
        () => document.querySelectorAll('iframe[src="https://frame.vendor.test/f.html"]').length,
      ),
    ).toBe(1);
  });

  it('logToConsole writes to the page’s console in debug mode', async () => {
    const lines: string[] = [];
    page.on('console', (m) => lines.push(m.text()));
    const t = probe(`require('logToConsole')('hello', 42);`, [perm('logging', { environments: 'debug' })]);
    await fireInPage(page, t, {}, { debugMode: false });
    await fireInPage(page, t, {}, { debugMode: true });
    expect(lines.filter((l) => l.startsWith('hello'))).toEqual(['hello 42']);
  });
});
