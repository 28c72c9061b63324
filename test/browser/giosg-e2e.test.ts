// The giosg tag end to end in Chromium: a customer's page served from localhost carries giosg's v2
// snippet exactly as giosg documents it; the snippet's script URL is answered by the stand-in client
// (giosg-standin.ts); the built build/template.tpl fires in the browser realm against the real page,
// and every case asserts the exact calls that reached giosg.
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_URL, HS256_TOKEN, ORGANIZATION_ID } from '../template/built-template.js';
import { GIOSG_STAND_IN } from './giosg-standin.js';
import { describeInBrowser, type BrowserFixture } from './helpers.js';
import {
  clientScripts,
  fire,
  firingScript,
  giosgFields,
  giosgQueue,
  openSandbox,
  pageFirings,
  standIn,
} from './page-driver.js';
import { giosgSnippet, sitePage } from './site.js';

const HOST = 'https://service.giosg.com';
const JANE = { action: 'submit', properties: [{ key: 'username', value: 'Jane Doe', type: 'auto' }] };
const JANE_SUBMIT = { api: 'visitor.submit', args: [{ username: 'Jane Doe' }, 'plain', false] };

/** Answers giosg's client URL with the stand-in; `hold()` delays the answer until `release()`. */
function giosgClient(fixture: BrowserFixture) {
  let gate: Promise<void> = Promise.resolve();
  let open = () => {};
  let status = 200;
  const requests: string[] = [];
  fixture.browser.answer(`${HOST}/live2/`, async (request) => {
    requests.push(request.url());
    await gate;
    return status === 200
      ? { status, contentType: 'text/javascript', body: GIOSG_STAND_IN }
      : { status, contentType: 'text/plain', body: 'not found' };
  });
  return {
    requests,
    hold() {
      gate = new Promise((resolve) => (open = resolve));
    },
    release: () => open(),
    /** The client URL answers 404 (true) or the stand-in (false) from now on. */
    notFound(missing = true) {
      status = missing ? 404 : 200;
    },
  };
}

async function waitForClient(page: Page): Promise<void> {
  await page.waitForFunction(
    () => (window as unknown as { __giosgStandIn?: unknown }).__giosgStandIn !== undefined,
  );
}

describeInBrowser('the giosg tag end to end in Chromium', (fixture) => {
  let client: ReturnType<typeof giosgClient>;
  let page: Page;
  let withSnippet: string;
  let withoutSnippet: string;

  beforeAll(() => {
    client = giosgClient(fixture);
    withSnippet = fixture.site.page('/with-snippet.html', sitePage({ head: giosgSnippet(ORGANIZATION_ID) }));
    withoutSnippet = fixture.site.page('/without-snippet.html', sitePage({}));
  });

  afterEach(async () => {
    await page?.close();
  });

  /** The customer's page with giosg's snippet, once giosg's (stand-in) client has loaded. */
  async function liveClientPage(world: object = { debugMode: true }): Promise<Page> {
    page = await fixture.browser.newPage();
    await page.goto(withSnippet);
    await waitForClient(page);
    await openSandbox(page, world);
    return page;
  }

  it('serves the customer site and answers giosg’s client URL with the stand-in', async () => {
    const before = client.requests.length;
    page = await fixture.browser.newPage();
    await page.goto(withSnippet);
    await waitForClient(page);
    const log = await standIn(page);
    expect(log).toEqual({
      loads: 1,
      organization: ORGANIZATION_ID,
      host: HOST,
      calls: [],
      readyCallbacks: 0,
    });
    expect(client.requests.slice(before)).toEqual([CLIENT_URL]);
  });

  describe_timing();
  describe_forms();
  describe_load_client();
  describe_bad_input();

  function describe_timing() {
    it('fires before the snippet: the calls wait in _giosg._e, the snippet keeps them, the client runs them', async () => {
      const url = fixture.site.page(
        '/fires-before-snippet.html',
        sitePage({ head: firingScript(JANE) + giosgSnippet(ORGANIZATION_ID) }),
      );
      page = await fixture.browser.newPage();
      await page.goto(url);
      await waitForClient(page);
      const [result] = await pageFirings(page);
      expect(result!.outcome).toBe('success');
      expect(result!.injectedScripts).toEqual([]);
      const log = (await standIn(page))!;
      expect(log.calls).toEqual([JANE_SUBMIT]);
      // The snippet found the tag's _giosg and kept it (w[o] = w[o] || …), then set _c and _h on it.
      expect([log.organization, log.host]).toEqual([ORGANIZATION_ID, HOST]);
      expect(await clientScripts(page)).toEqual([CLIENT_URL]);
    });

    it('fires after the snippet but before the client has loaded: queued, then delivered in order', async () => {
      client.hold();
      page = await fixture.browser.newPage();
      await page.goto(withSnippet, { waitUntil: 'domcontentloaded' });
      await openSandbox(page);
      const first = await fire(page, JANE);
      const second = await fire(page, { action: 'remove', removeKeys: [{ key: 'email' }] });
      expect([first.outcome, second.outcome]).toEqual(['success', 'success']);
      expect(await standIn(page)).toBeUndefined();
      expect(await giosgQueue(page)).toEqual([
        ['visitor', 'submit', { username: 'Jane Doe' }, 'plain', false],
        ['visitor', 'remove', 'email'],
      ]);
      client.release();
      await waitForClient(page);
      expect((await standIn(page))!.calls).toEqual([JANE_SUBMIT, { api: 'visitor.remove', args: ['email'] }]);
    });

    it('fires after the client has loaded: the call goes straight to giosg', async () => {
      page = await liveClientPage();
      const result = await fire(page, JANE);
      expect(result.outcome).toBe('success');
      expect((await standIn(page))!.calls).toEqual([JANE_SUBMIT]);
      // createArgumentsQueue keeps giosg's dispatcher and, as gtm.js does, creates no _e: nothing waits.
      expect(await giosgQueue(page)).toBeUndefined();
      expect((await standIn(page))!.loads).toBe(1);
    });
  }

  function describe_forms() {
    it('sends the plain, JWT and md5 forms exactly as giosg documents them', async () => {
      page = await liveClientPage();
      const plain = await fire(page, {
        properties: [
          { key: 'username', value: 'Jane Doe', type: 'auto' },
          { key: 'age', value: '29', type: 'number' },
          { key: 'vip', value: 'yes', type: 'boolean' },
        ],
        replaceExisting: true,
      });
      const jwt = await fire(page, { signing: 'HS256', token: HS256_TOKEN });
      const md5 = await fire(page, {
        signing: 'md5',
        propertiesObject: { username: 'Django signed', email: 'django@giosg.com' },
        checksum: 'e584526251c396fc937e27561c9597c8',
        checksumExpiry: '1371720939',
      });
      expect([plain.outcome, jwt.outcome, md5.outcome]).toEqual(['success', 'success', 'success']);
      expect((await standIn(page))!.calls).toEqual([
        { api: 'visitor.submit', args: [{ username: 'Jane Doe', age: 29, vip: true }, 'plain', true] },
        { api: 'visitor.submit', args: [HS256_TOKEN, 'HS256', false] },
        {
          api: 'visitor.submit',
          args: [
            {
              username: 'Django signed',
              email: 'django@giosg.com',
              _checksum: 'e584526251c396fc937e27561c9597c8',
              _exp: '1371720939',
            },
            'md5',
            false,
          ],
        },
      ]);
    });

    it('sends rooms with the submit, removes keys one call each, and removeAll with no arguments', async () => {
      page = await liveClientPage();
      const rooms = await fire(page, {
        ...JANE,
        rooms: [
          { by: 'id', room: 'spgxcgwpj3qkmfvrxqaafh5wd63js3ir5g3omascvqiqacqm' },
          { by: 'name', room: 'Sales' },
        ],
      });
      const remove = await fire(page, { action: 'remove', removeKeys: [{ key: 'email' }, { key: 'phone' }] });
      const removeAll = await fire(page, { action: 'removeAll' });
      expect([rooms.outcome, remove.outcome, removeAll.outcome]).toEqual(['success', 'success', 'success']);
      expect((await standIn(page))!.calls).toEqual([
        {
          api: 'visitor.submit',
          args: [
            { username: 'Jane Doe' },
            'plain',
            false,
            [{ id: 'spgxcgwpj3qkmfvrxqaafh5wd63js3ir5g3omascvqiqacqm' }, { name: 'Sales' }],
          ],
        },
        { api: 'visitor.remove', args: ['email'] },
        { api: 'visitor.remove', args: ['phone'] },
        { api: 'visitor.removeAll', args: [] },
      ]);
    });
  }

  function describe_load_client() {
    const load = { ...JANE, loadClient: true, organizationId: ORGANIZATION_ID };

    it('Load the giosg client, page without the snippet: one script over three firings, _c and _h set, success after it loads', async () => {
      client.hold();
      const before = client.requests.length;
      page = await fixture.browser.newPage();
      await page.goto(withoutSnippet);
      await openSandbox(page);
      // The first firing waits for the script: start it, and look at the page while the script is held.
      const firing = fire(page, load);
      await page.waitForFunction(() => document.querySelector('script[src*="/live2/"]') !== null);
      expect(await giosgFields(page)).toEqual({ _c: ORGANIZATION_ID, _h: HOST });
      expect(await standIn(page)).toBeUndefined();
      const settledEarly = await Promise.race([
        firing.then(() => true),
        new Promise((r) => setTimeout(() => r(false), 300)),
      ]);
      expect(settledEarly, 'the firing reports before the script has loaded').toBe(false);
      client.release();
      const first = await firing;
      const second = await fire(page, { ...load, action: 'remove', removeKeys: [{ key: 'email' }] });
      const third = await fire(page, { ...load, action: 'removeAll' });
      expect([first.outcome, second.outcome, third.outcome]).toEqual(['success', 'success', 'success']);
      expect(first.injectedScripts).toEqual([{ url: CLIENT_URL, cacheToken: CLIENT_URL }]);
      expect([second.injectedScripts, third.injectedScripts]).toEqual([[], []]);
      expect(await clientScripts(page)).toEqual([CLIENT_URL]);
      expect(client.requests.slice(before)).toEqual([CLIENT_URL]);
      const log = (await standIn(page))!;
      expect(log.loads).toBe(1);
      expect([log.organization, log.host]).toEqual([ORGANIZATION_ID, HOST]);
      expect(log.calls).toEqual([
        JANE_SUBMIT,
        { api: 'visitor.remove', args: ['email'] },
        { api: 'visitor.removeAll', args: [] },
      ]);
    });

    it('Load the giosg client on a page whose snippet set _giosg._c: giosg is not loaded a second time', async () => {
      const before = client.requests.length;
      page = await liveClientPage();
      const first = await fire(page, load);
      const second = await fire(page, { ...load, action: 'removeAll' });
      expect([first.outcome, second.outcome]).toEqual(['success', 'success']);
      expect([...first.injectedScripts, ...second.injectedScripts]).toEqual([]);
      expect(await clientScripts(page)).toEqual([CLIENT_URL]); // the snippet's own
      expect(client.requests.slice(before)).toEqual([CLIENT_URL]);
      const log = (await standIn(page))!;
      expect(log.loads).toBe(1);
      expect(log.calls).toEqual([JANE_SUBMIT, { api: 'visitor.removeAll', args: [] }]);
      expect(first.logs).toEqual([
        [
          `giosg Visitor Variables: the page already has the giosg tag (organization "${ORGANIZATION_ID}"), so the giosg client was not loaded again.`,
        ],
      ]);
    });

    it('Load the giosg client when the script returns 404: failure is reported, and logged in debug mode', async () => {
      client.notFound();
      page = await fixture.browser.newPage();
      await page.goto(withoutSnippet);
      await openSandbox(page);
      const result = await fire(page, load);
      expect(result.outcome).toBe('failure');
      expect(result.injectedScripts).toEqual([{ url: CLIENT_URL, cacheToken: CLIENT_URL }]);
      expect(result.logs.at(-1)).toEqual([
        `giosg Visitor Variables: the giosg client could not be loaded from ${CLIENT_URL}. Check the organization ID and that nothing blocks service.giosg.com.`,
      ]);
      expect(await standIn(page)).toBeUndefined();
      // The calls stay queued, as they would for a client that never came.
      expect(await giosgQueue(page)).toEqual([
        ['visitor', 'submit', { username: 'Jane Doe' }, 'plain', false],
      ]);
      client.notFound(false);
    });
  }

  function describe_bad_input() {
    const data = {
      properties: [
        { key: 'username', value: 'Jane', type: 'auto' },
        { key: 'age', value: 'old', type: 'number' },
      ],
    };

    for (const debugMode of [true, false]) {
      it(`bad input ${debugMode ? 'in debug mode' : 'outside debug mode'}: the valid rows arrive, failure is reported, the console ${debugMode ? 'shows' : 'does not show'} the problem`, async () => {
        page = await liveClientPage({ debugMode });
        const console: string[] = [];
        page.on('console', (m) => console.push(m.text()));
        const result = await fire(page, data);
        expect(result.outcome).toBe('failure');
        expect((await standIn(page))!.calls).toEqual([
          { api: 'visitor.submit', args: [{ username: 'Jane' }, 'plain', false] },
        ]);
        const problems = console.filter((line) => line.startsWith('giosg Visitor Variables: '));
        expect(result.logs).toEqual(problems.map((line) => [line]));
        if (debugMode) {
          expect(problems).toEqual([
            'giosg Visitor Variables: Visitor variables row 2 ("age"): the value "old" is not a number (write it like 29 or 4.5); it was left out.',
          ]);
        } else {
          expect(problems).toEqual([]);
        }
      });
    }
  }
});
