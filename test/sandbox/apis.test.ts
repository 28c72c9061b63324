// Documented behaviour of the sandbox APIs (Google's API reference), including the edge cases the
// giosg template and the compiler rely on, and permission enforcement.
import { describe, expect, test } from 'vitest';
import { runTemplate, SandboxPage } from '../../src/sandbox/index.js';
import { globals, LOG_ALL, perm, template } from './helpers.js';
import { SANDBOX_APIS } from '../../src/gtm/apis.js';
import { implementedApi } from '../../src/sandbox/apis/index.js';
import { isObjectApi } from '../../src/sandbox/apis/types.js';

const run = (code: string, permissions = [] as ReturnType<typeof perm>[], world = {}, data = {}) =>
  runTemplate(template(code, permissions), data, world);

describe('window APIs', () => {
  test('createArgumentsQueue creates the function and array, and pushes the arguments object', () => {
    const r = run(
      `const q = require('createArgumentsQueue')('_giosg', '_giosg._e');
       q('visitor', 'submit', {name: 'A'}); q('visitor', 'removeAll');
       return require('getType')(q);`,
      [globals(['_giosg', 'rw'], ['_giosg._e', 'rw'])],
    );
    expect(r.outcome).toBe('none');
    expect(r.returnValue).toBe('function');
    expect(typeof r.window._giosg).toBe('function');
    expect((r.window._giosg as unknown as { _e: unknown })._e).toEqual([
      ['visitor', 'submit', { name: 'A' }],
      ['visitor', 'removeAll'],
    ]);
  });

  test('the queued items are real arguments objects on the page', () => {
    let seen: unknown[] = [];
    const page = new SandboxPage({
      scripts: {
        'https://x.test/': (w) => {
          seen = (w._q as { _e: unknown[] })._e.map((a) => Object.prototype.toString.call(a));
        },
      },
    });
    page.run(
      template(
        `require('createArgumentsQueue')('_q', '_q._e')(1, 2); require('injectScript')('https://x.test/a.js');`,
        [globals(['_q', 'rw'], ['_q._e', 'rw']), perm('inject_script', { urls: ['https://x.test/*'] })],
      ),
    );
    expect(seen).toEqual(['[object Arguments]']);
  });

  test('createArgumentsQueue keeps an existing function and returns it', () => {
    const received: unknown[][] = [];
    const existing = (...args: unknown[]) => void received.push(args);
    const r = run(
      `const q = require('createArgumentsQueue')('_giosg', '_giosg._e'); q('visitor', 'submit', {a: 1});`,
      [globals(['_giosg', 'rw'], ['_giosg._e', 'rw'])],
      { window: { _giosg: existing } },
    );
    expect(r.outcome).toBe('none');
    expect(received).toEqual([['visitor', 'submit', { a: 1 }]]);
    // As gtm.js does, the array key is left alone when the function is already there.
    expect((r.window._giosg as unknown as { _e: unknown })._e).toBeUndefined();
  });

  test('a page function keeps its own properties in the sandbox: the queue function and its array', () => {
    const r = run(
      `const q = require('createArgumentsQueue')('aa', 'aa.queue');
       q('first');
       const copy = require('copyFromWindow')('aa');
       const getType = require('getType');
       return [getType(q.queue), getType(copy), getType(copy.queue), copy.queue.length, q.queue.length];`,
      [globals(['aa', 'rwx'], ['aa.queue', 'rw'])],
    );
    expect(r.error).toBeUndefined();
    // The function createArgumentsQueue returned was copied before the push; copyFromWindow after.
    expect(r.returnValue).toEqual(['array', 'function', 'array', 1, 0]);
  });

  test('properties of a page function are copies, read afresh at every crossing', () => {
    const vendor = Object.assign(() => 'called', { version: '2', config: { id: 'X' } });
    const r = run(
      `const copyFromWindow = require('copyFromWindow');
       const v = copyFromWindow('vendor');
       v.config.id = 'changed';
       v.extra = 1;
       const again = copyFromWindow('vendor');
       const inLib = copyFromWindow('lib').vendor;
       inLib.extra = 1;
       const inLibAgain = copyFromWindow('lib').vendor;
       return [v(), v.version, again.config.id, again.extra, inLib(), inLibAgain.config.id, inLibAgain.extra];`,
      [globals(['vendor', 'rx'], ['lib', 'r'])],
      { window: { vendor, lib: { vendor } } },
    );
    expect(r.returnValue).toEqual(['called', '2', 'X', undefined, 'called', 'X', undefined]);
    expect(vendor.config.id).toBe('X');
  });

  test('a sandbox function keeps its own properties on the page: a hand-made queue function', () => {
    const r = run(
      `const callInWindow = require('callInWindow');
       const stub = function () { callInWindow('tq.items.push', arguments); };
       stub.items = [];
       stub.meta = { v: 1 };
       stub.self = stub;
       require('setInWindow')('tq', stub);
       callInWindow('tq', 'init', 7);
       stub.items.push('sandbox only');
       const seen = require('copyFromWindow')('tq');
       require('setInWindow')('again', stub);
       return [seen.items, seen.meta.v, stub.items.length];`,
      [globals(['tq', 'rwx'], ['tq.items.push', 'rwx'], ['again', 'rw'])],
    );
    expect(r.error).toBeUndefined();
    // The page got a copy at setInWindow; the page's pushes land in that copy, not in the sandbox's.
    expect(r.returnValue).toEqual([[['init', 7]], 1, 1]);
    const onPage = r.window.tq as unknown as { items: unknown[]; self: unknown };
    expect(typeof onPage).toBe('function');
    expect(onPage.items).toEqual([['init', 7]]);
    expect(onPage.self).toBe(onPage);
    // A later crossing makes a new copy and leaves the one the page already holds as it was.
    const again = r.window.again as unknown as { items: unknown[] };
    expect(again).not.toBe(onPage);
    expect(again.items).toEqual(['sandbox only']);
  });

  test('createQueue pushes onto an existing array and throws on a missing parent', () => {
    const r = run(
      `const push = require('createQueue')('dataLayer'); push({event: 'x'});`,
      [globals(['dataLayer', 'rw'])],
      {
        window: { dataLayer: [{ a: 1 }] },
      },
    );
    expect(r.window.dataLayer).toEqual([{ a: 1 }, { event: 'x' }]);
    const bad = run(`require('createQueue')('one.two');`, [globals(['one.two', 'rw'])]);
    expect(bad.outcome).toBe('error');
    expect(bad.error).toMatch(/one\.two/);
  });

  test("createQueue keeps a value already there: an object's own push receives the values", () => {
    // A vendor script that has loaded replaces its queue array with an object (Microsoft's uetq).
    const received: unknown[][] = [];
    const r = run(
      `const push = require('createQueue')('uetq'); push('consent', 'default', {ad_storage: 'denied'});`,
      [globals(['uetq', 'rw'])],
      { window: { uetq: { push: (...v: unknown[]) => void received.push(v), loaded: true } } },
    );
    expect(r.outcome).toBe('none');
    expect(received).toEqual([['consent', 'default', { ad_storage: 'denied' }]]);
    expect((r.window.uetq as { loaded?: boolean }).loaded).toBe(true);
    const notAQueue = run(`require('createQueue')('q')(1);`, [globals(['q', 'rw'])], { window: { q: 5 } });
    expect(notAQueue.outcome).toBe('error');
    expect(notAQueue.error).toMatch(/'q' in window is not an array/);
    expect(notAQueue.window.q).toBe(5);
  });

  test('createArgumentsQueue keeps a queue object already at the array key', () => {
    const received: unknown[] = [];
    const r = run(
      `require('createArgumentsQueue')('_v', '_vq')('init', 7);`,
      [globals(['_v', 'rw'], ['_vq', 'rw'])],
      { window: { _vq: { push: (a: unknown) => void received.push(Array.from(a as ArrayLike<unknown>)) } } },
    );
    expect(r.outcome).toBe('none');
    expect(received).toEqual([['init', 7]]);
  });

  test('createArgumentsQueue pushes onto the array found when it ran, and needs that value to have push', () => {
    // gtm.js captures the array when createArgumentsQueue runs; a later value at the array key is
    // not looked up, and a value there without push makes each call fail (docs/runtime.md).
    const replaced = run(
      `const q = require('createArgumentsQueue')('f', 'f.q');
       const first = require('copyFromWindow')('f.q');
       require('setInWindow')('f.q', ['later'], true);
       q('a', 1);
       return first;`,
      [globals(['f', 'rw'], ['f.q', 'rw'])],
    );
    expect(replaced.outcome).toBe('none');
    expect(replaced.returnValue).toEqual([]);
    expect((replaced.window.f as unknown as { q: unknown }).q).toEqual(['later']);
    const notArray = run(
      `require('createArgumentsQueue')('g', 'gq')('x');`,
      [globals(['g', 'rw'], ['gq', 'rw'])],
      {
        window: { gq: 'text' },
      },
    );
    expect(notArray.outcome).toBe('error');
    expect(String(notArray.error)).toMatch(/'gq' in window is not an array/);
    expect(typeof notArray.window.g).toBe('function');
  });

  test('setInWindow asks access_globals for read and write on the key, as gtm.js does', () => {
    const code = `return require('setInWindow')('k', 1, true);`;
    const writeOnly = run(code, [globals(['k', 'w'])]);
    expect(writeOnly.outcome).toBe('error');
    expect(String(writeOnly.error)).toMatch(/access_globals/);
    expect(writeOnly.window.k).toBeUndefined();
    const readWrite = run(code, [globals(['k', 'rw'])]);
    expect(readWrite.returnValue).toBe(true);
    expect(readWrite.window.k).toBe(1);
  });

  test('createArgumentsQueue gives null for a value at the function key that is not a function, and replaces a falsy one', () => {
    const r = run(
      `const q = require('createArgumentsQueue');
       return [q('v', 'vq'), require('getType')(q('n', 'nq'))];`,
      [globals(['v', 'rw'], ['vq', 'rw'], ['n', 'rw'], ['nq', 'rw'])],
      { window: { v: { not: 'a function' }, n: null } },
    );
    expect(r.error).toBeUndefined();
    expect(r.returnValue).toEqual([null, 'function']);
    expect(r.window.v).toEqual({ not: 'a function' });
    expect(r.window.vq).toBeUndefined();
    expect(typeof r.window.n).toBe('function');
    expect(r.window.nq).toEqual([]);
  });

  test('a page function copied into the sandbox runs with itself as this; callInWindow binds the parent', () => {
    // gtm.js's native-to-sandbox conversion calls `(0, this.g.O)(h, h, B)`; callInWindow passes the
    // object the function was read from (docs/runtime.md).
    const who = function (this: { tag?: string } | undefined): string {
      return this === who ? 'itself' : this?.tag === 'obj' ? 'parent' : typeof this;
    };
    const obj = { tag: 'obj', who };
    const r = run(
      `const copy = require('copyFromWindow'); const call = require('callInWindow');
       return [copy('obj.who')(), copy('obj').who(), call('obj.who')];`,
      [globals(['obj.who', 'rx'], ['obj', 'r'])],
      { window: { obj } },
    );
    expect(r.outcome).toBe('none');
    expect(r.returnValue).toEqual(['itself', 'itself', 'parent']);
  });

  test("the container's dataLayer.push works copied, as gtm.js's own push does, and the array stays plain", () => {
    // gtm.js replaces the data layer's push with `function(){…var g=c.apply(a,d)…}`, bound to the
    // array by closure (docs/runtime.md), so a copy called with itself as `this` still pushes.
    const r = run(
      `const copy = require('copyFromWindow');
       const push = copy('dataLayer.push');
       push({event: 'copied'});
       const dl = copy('dataLayer');
       return [dl.length, dl[1].event, require('Object').keys(dl)];`,
      [globals(['dataLayer', 'r'], ['dataLayer.push', 'rx'])],
      { dataLayer: [{ event: 'gtm.js' }] },
    );
    expect(r.outcome).toBe('none');
    expect(r.returnValue).toEqual([2, 'copied', ['0', '1']]);
  });

  test('copyFromWindow walks through a primitive as gtm.js does: only null or undefined on the way give up', () => {
    const r = run(
      `const copy = require('copyFromWindow');
       return [copy('s.length'), copy('s.0'), copy('n.x'), copy('missing.x.y'), copy('o.k')];`,
      [globals(['s.length', 'r'], ['s.0', 'r'], ['n.x', 'r'], ['missing.x.y', 'r'], ['o.k', 'r'])],
      { window: { s: 'abc', n: null, o: { k: 1 } } },
    );
    expect(r.outcome).toBe('none');
    expect(r.returnValue).toEqual([3, 'a', undefined, undefined, 1]);
  });

  test('the window APIs do not walk through document: a path step reaching it gives up, as in gtm.js', () => {
    const r = run(
      `return [require('copyFromWindow')('document.title'), require('setInWindow')('document.t', 1, true),
               require('callInWindow')('document.f')];`,
      [globals(['document.title', 'r'], ['document.t', 'rw'], ['document.f', 'x'])],
      { window: { document: { title: 'T', f: () => 'called' } } },
    );
    expect(r.error).toBeUndefined();
    expect(r.returnValue).toEqual([undefined, false, undefined]);
    expect((r.window.document as Record<string, unknown>).t).toBeUndefined();
  });

  test('setInWindow respects the override flag and dotted paths', () => {
    const r = run(
      `const set = require('setInWindow');
       return [set('a', 1, false), set('a', 2, false), set('b', 1, false), set('b', 3, true),
               set('o.k', 'v', false), set('missing.k', 1, true)];`,
      [globals(['a', 'rw'], ['b', 'rw'], ['o.k', 'rw'], ['missing.k', 'rw'])],
      { window: { b: 0, o: {} } },
    );
    expect(r.returnValue).toEqual([true, false, false, true, true, false]);
    expect(r.window).toEqual({ a: 1, b: 3, o: { k: 'v' } });
  });

  test('copyFromWindow returns a deep copy; functions are wrapped and callable', () => {
    const page = { cfg: { list: [1, { x: 2 }] }, add: (a: number, b: number) => a + b, when: new Date(0) };
    const r = run(
      `const copy = require('copyFromWindow'); const c = copy('cfg'); c.list[1].x = 99; c.list.push(3);
       return [copy('cfg'), copy('add')(2, 3), copy('when'), copy('nothing.here')];`,
      [globals(['cfg', 'r'], ['add', 'r'], ['when', 'r'], ['nothing.here', 'r'])],
      { window: page },
    );
    expect(r.returnValue).toEqual([{ list: [1, { x: 2 }] }, 5, undefined, undefined]);
    expect(page.cfg).toEqual({ list: [1, { x: 2 }] });
    expect(r.window.cfg).toEqual({ list: [1, { x: 2 }] });
  });

  test('callInWindow calls with the owning object as this, copies values both ways', () => {
    const lib = {
      prefix: '>',
      say(this: { prefix: string }, o: { t: string }) {
        return { text: this.prefix + o.t };
      },
    };
    const r = run(
      `const call = require('callInWindow'); return [call('lib.say', {t: 'hi'}), call('lib.nothing'), call('lib.prefix')];`,
      [globals(['lib.say', 'x'], ['lib.nothing', 'x'], ['lib.prefix', 'x'])],
      { window: { lib } },
    );
    expect(r.returnValue).toEqual([{ text: '>hi' }, undefined, undefined]);
  });

  test('a sandbox function stored in window is callable by the page', () => {
    const page = new SandboxPage();
    const r = page.run(
      template(`require('setInWindow')('cb', function (o) { return o.n + 1; }, true);`, [
        globals(['cb', 'rw']),
      ]),
    );
    expect(r.outcome).toBe('none');
    expect((page.page.window.cb as (o: unknown) => unknown)({ n: 41 })).toBe(42);
  });

  test('aliasInWindow copies a reference when the source exists', () => {
    const r = run(
      `const alias = require('aliasInWindow'); return [alias('b', 'a'), alias('c', 'missing')];`,
      [globals(['b', 'w'], ['a', 'r'], ['c', 'w'], ['missing', 'r'])],
      { window: { a: { v: 1 } } },
    );
    expect(r.returnValue).toEqual([true, false]);
    expect(r.window.b).toEqual({ v: 1 });
  });
});

describe('permissions', () => {
  test('a denied call throws naming the permission and the argument; the tag fails', () => {
    const r = run(
      `require('injectScript')('https://evil.test/x.js', data.gtmOnSuccess, data.gtmOnFailure);`,
      [perm('inject_script', { urls: ['https://good.test/*'] })],
    );
    expect(r.outcome).toBe('error');
    expect(r.errorCode).toBe('sandbox/permission-denied');
    expect(r.error).toMatch(/inject_script/);
    expect(r.error).toMatch(/https:\/\/evil\.test\/x\.js/);
    expect(r.injectedScripts).toEqual([]);
  });

  test('a missing permission is denied; access_globals flags are checked', () => {
    expect(run(`require('copyFromWindow')('x');`).error).toMatch(/access_globals/);
    const r = run(`require('setInWindow')('x', 1, true);`, [globals(['x', 'r'])]);
    expect(r.error).toMatch(/'x' lacks write access/);
    expect(run(`require('callInWindow')('x');`, [globals(['x', 'rw'])]).error).toMatch(/execute/);
  });

  test('queryPermission answers the same questions without throwing', () => {
    const r = run(
      `const q = require('queryPermission');
       return [q('inject_script', 'https://good.test/a.js'), q('inject_script', 'https://evil.test/a.js'),
               q('access_globals', 'readwrite', 'k'), q('access_globals', 'execute', 'k'), q('send_pixel', 'https://a.test/'),
               q('injectScript', 'https://good.test/b.js'), q('readGlobals', 'k'), q('readUrl', 'path')];`,
      [perm('inject_script', { urls: ['https://good.test/*'] }), globals(['k', 'rw'])],
    );
    expect(r.returnValue).toEqual([true, false, true, false, false, true, true, false]);
  });

  test('inject_script: a *.host pattern allows the host itself, not a lookalike (gtm.js)', () => {
    const r = run(
      `const q = require('queryPermission');
       return [q('inject_script', 'https://good.test/a.js'), q('inject_script', 'https://cdn.good.test/a.js'),
               q('inject_script', 'https://notgood.test/a.js'), q('send_pixel', 'https://good.test/p')];`,
      [
        perm('inject_script', { urls: ['https://*.good.test/*'] }),
        perm('send_pixel', { urls: ['https://*.good.test/*'] }),
      ],
    );
    expect(r.returnValue).toEqual([true, true, false, true]);
  });

  test('web URL permissions match as gtm.js does: an exact path takes no query, a path ending in / only itself', () => {
    const ask = (id: string, pattern: string, url: string) =>
      run(`return require('queryPermission')('${id}', '${url}');`, [perm(id, { urls: [pattern] })])
        .returnValue;
    expect([
      ask('inject_script', 'https://cdn.test/lib.js', 'https://cdn.test/lib.js'),
      ask('inject_script', 'https://cdn.test/lib.js', 'https://cdn.test/lib.js?v=1'),
      ask('inject_script', 'https://cdn.test/lib/', 'https://cdn.test/lib/a.js'),
      ask('inject_script', 'https://cdn.test/', 'https://cdn.test/lib/a.js?v=1'),
      ask('send_pixel', 'https://px.test/p*', 'https://px.test/p?id=1'),
      ask('send_pixel', 'https://px.test/p', 'https://px.test/p?id=1'),
      ask('inject_hidden_iframe', 'https://*', 'https://f.test/x'),
    ]).toEqual([true, false, false, true, true, false, false]);
    const denied = run(`require('injectScript')('https://cdn.test/lib.js?v=1', () => {}, () => {});`, [
      perm('inject_script', { urls: ['https://cdn.test/lib.js'] }),
    ]);
    expect(denied.outcome).toBe('error');
    expect(denied.error).toMatch(/inject_script/);
  });

  test('a web URL without a scheme is resolved against the page, for its permission and its load, as gtm.js does', () => {
    const script = [perm('inject_script', { urls: ['https://cdn.test/*'] })];
    const inject = (url: string, world = {}) =>
      run(`require('injectScript')('${url}', data.gtmOnSuccess, data.gtmOnFailure);`, script, world);
    const relative = inject('//cdn.test/lib.js');
    expect(relative.outcome).toBe('success');
    expect(relative.injectedScripts).toEqual([{ url: 'https://cdn.test/lib.js' }]);
    // On an http page the same URL is http, which no web URL permission allows.
    const http = inject('//cdn.test/lib.js', { url: 'http://shop.test/' });
    expect(http.outcome).toBe('error');
    expect(http.error).toMatch(/inject_script/);
    // A path alone is on the page's host; queryPermission asks the same question.
    const pixel = [perm('send_pixel', { urls: ['https://shop.test/px*'] })];
    const asked = run(
      `const q = require('queryPermission'); return [q('send_pixel', '/px?a=1'), q('send_pixel', '//cdn.test/px')];`,
      pixel,
      { url: 'https://shop.test/page' },
    );
    expect(asked.returnValue).toEqual([true, false]);
    const sent = run(`require('sendPixel')('/px?a=1');`, pixel, { url: 'https://shop.test/page' });
    expect(sent.pixels).toEqual(['https://shop.test/px?a=1']);
  });

  test('get_url with specific parts and query keys', () => {
    const p = perm('get_url', {
      urlParts: 'specific',
      path: true,
      query: true,
      queriesAllowed: 'specific',
      queryKeys: ['a'],
    });
    const ok = run(
      `const g = require('getUrl'); return [g('path'), require('getQueryParameters')('a')];`,
      [p],
      {
        url: 'https://site.test/p/x.html?a=1&a=2&b=3#h',
      },
    );
    expect(ok.returnValue).toEqual(['/p/x.html', '1']);
    expect(run(`require('getUrl')();`, [p]).error).toMatch(/get_url/);
    expect(run(`require('getQueryParameters')('b');`, [p]).error).toMatch(/'b'/);
  });

  test("getUrl's and getQueryParameters' arguments are checked before the permission, as gtm.js checks them", () => {
    const any = [perm('get_url', { urlParts: 'any' })];
    const world = { url: 'https://site.test/p?a=1&a=2' };
    const call = (expr: string, permissions = any) => run(`return ${expr};`, permissions, world);
    const getUrl = `require('getUrl')`;
    const getQuery = `require('getQueryParameters')`;
    expect(
      call(`[${getUrl}('path'), ${getUrl}(), ${getQuery}('a', true), ${getQuery}('a', null)]`).returnValue,
    ).toEqual(['/p', 'https://site.test/p?a=1&a=2', ['1', '2'], '1']);
    expect(call(`${getUrl}(1)`).error).toBe(
      'Error in getUrl. Argument component has type number, which does not match required type string.',
    );
    expect(call(`${getQuery}()`).error).toBe(
      'Error in getQueryParameters. Required argument queryKey not supplied.',
    );
    expect(call(`${getQuery}(['a'])`).error).toBe(
      'Error in getQueryParameters. Argument queryKey has type Array, which does not match required type string.',
    );
    expect(call(`${getQuery}('a', 'true')`).error).toBe(
      'Error in getQueryParameters. Argument retrieveAll has type string, which does not match required type boolean.',
    );
    // The type check comes first: without the permission the message is still the type's.
    expect(call(`${getUrl}({})`, []).error).toMatch(/^Error in getUrl\. Argument component has type Object/);
  });

  test("getUrl('extension') is what follows the path's last dot up to the next slash, as gtm.js reads it", () => {
    const ext = (url: string) =>
      run(`return require('getUrl')('extension');`, [perm('get_url')], { url }).returnValue;
    expect(ext('https://site.test/files/report.tar.gz?x=1.2#a.b')).toBe('gz');
    expect(ext('https://site.test/v1.2/page')).toBe('2');
    expect(ext('https://site.test/dir.d/')).toBe('d');
    expect(ext('https://site.test/page')).toBe('');
    expect(ext('https://site.test/')).toBe('');
  });

  test("getUrl reads its component in any case, and url_no_fragment, as gtm.js's URL helper does", () => {
    const url = 'https://WWW.Site.test:8443/a/b.html?q=1#frag';
    const get = (c: string) =>
      run(`return require('getUrl')(${JSON.stringify(c)});`, [perm('get_url')], { url }).returnValue;
    expect(get('HOST')).toBe('www.site.test');
    expect(get('Port')).toBe('8443');
    expect(get('url_no_fragment')).toBe('https://WWW.Site.test:8443/a/b.html?q=1');
    expect(get('nothing')).toBe(url);
  });

  test("getQueryParameters decodes as gtm.js's own query parser: %2B and + are spaces, malformed escapes throw", () => {
    const q = (url: string, code: string) => run(code, [perm('get_url')], { url });
    const url = 'https://site.test/p?q=a%2Bb+c&q=x=y&e=&n&caf%C3%A9=1#q=frag';
    expect(
      q(
        url,
        `const g = require('getQueryParameters');
        return [g('q'), g('q', true), g('e'), g('n'), g('café'), g('missing'), g('missing', true)];`,
      ).returnValue,
    ).toEqual(['a b c', ['a b c', 'x=y'], '', '', '1', undefined, []]);
    expect(
      q('https://site.test/p?bad=%E0%A4%A', `return require('getQueryParameters')('bad');`).error,
    ).toMatch(/^Error in getQueryParameters\. URI malformed/);
  });

  test('get_url and get_referrer: no whole URL with URL parts "specific"; no urlParts allows all', () => {
    // gtm.js's get_url assert: "Prohibited from getting entire URL when components are specified"
    // (docs/runtime.md, "Permissions"); Google's permissions reference: "If no value is set, the
    // default is all".
    const q = `const q = require('queryPermission');
      return [q('get_url'), q('get_url', 'query', 'k'), q('get_referrer'), q('get_referrer', 'path')];`;
    const parts = ['protocol', 'host', 'port', 'path', 'query', 'extension'];
    const all = Object.fromEntries(parts.map((c) => [c, true]));
    const every = [
      perm('get_url', { urlParts: 'specific', ...all, fragment: true, queriesAllowed: 'any' }),
      perm('get_referrer', { urlParts: 'specific', ...all }),
    ];
    expect(run(q, every).returnValue).toEqual([false, true, false, true]);
    const pathOnly = [
      perm('get_url', { urlParts: 'specific', path: true }),
      perm('get_referrer', { urlParts: 'specific', host: true }),
    ];
    expect(run(q, pathOnly).returnValue).toEqual([false, false, false, false]);
    expect(run(q, [perm('get_url'), perm('get_referrer')]).returnValue).toEqual([true, true, true, true]);
    expect(run(`return require('getUrl')();`, every, { url: 'https://site.test/a?b=1' }).errorCode).toBe(
      'sandbox/permission-denied',
    );
    // "urlParts": "any" alone (as real exports declare it) limits no query key.
    expect(
      run(`return require('getQueryParameters')('b');`, [perm('get_url', { urlParts: 'any' })], {
        url: 'https://site.test/a?b=1',
      }).returnValue,
    ).toBe('1');
  });

  test('set_cookies restricts the expiration: session cookies, or persistent ones', () => {
    // Google's permissions reference (set_cookies): "each with optional restrictions on name,
    // domain, path, secure attribute, and expiration"; exports write session "session",
    // "non_session" or "any".
    const cookie = (session: string) =>
      perm('set_cookies', {
        allowedCookies: [{ name: 'c', domain: '*', path: '*', secure: 'any', session }],
      });
    const q = `const q = require('queryPermission');
      return [q('set_cookies', 'c', {}), q('set_cookies', 'c', {'max-age': 60}), q('set_cookies', 'c', {expires: 'Thu, 01 Jan 2037 00:00:00 GMT'})];`;
    expect(run(q, [cookie('session')]).returnValue).toEqual([true, false, false]);
    expect(run(q, [cookie('non_session')]).returnValue).toEqual([false, true, true]);
    expect(run(q, [cookie('any')]).returnValue).toEqual([true, true, true]);
    expect(run(`require('setCookie')('c', 'v', {'max-age': 60});`, [cookie('session')]).errorCode).toBe(
      'sandbox/permission-denied',
    );
  });
});

describe('asynchronous APIs', () => {
  test('injectScript calls back after the code returns, and world decides load or fail', () => {
    const code = `const log = require('logToConsole');
      require('injectScript')(data.url, function () { log('loaded'); data.gtmOnSuccess(); }, function () { log('failed'); data.gtmOnFailure(); });
      log('after');`;
    const perms = [perm('inject_script', { urls: ['https://a.test/*'] }), LOG_ALL];
    const ok = runTemplate(
      template(code, perms),
      { url: 'https://a.test/ok.js' },
      { scripts: { 'https://a.test/bad': 'fail' } },
    );
    expect(ok.logs).toEqual([['after'], ['loaded']]);
    expect(ok.outcome).toBe('success');
    const bad = runTemplate(
      template(code, perms),
      { url: 'https://a.test/bad.js' },
      { scripts: { 'https://a.test/bad': 'fail' } },
    );
    expect(bad.logs).toEqual([['after'], ['failed']]);
    expect(bad.outcome).toBe('failure');
  });

  test('a script behaviour can define a live client on window', () => {
    const r = run(
      `require('injectScript')('https://a.test/c.js', function () { data.gtmOnSuccess(require('callInWindow')('client.hello', 'x')); });`,
      [perm('inject_script', { urls: ['https://a.test/*'] }), globals(['client.hello', 'x'])],
      {
        scripts: {
          'https://a.test/c.js': (w: Record<string, unknown>) =>
            (w.client = { hello: (s: string) => 'hi ' + s }),
        },
      },
    );
    expect(r.outcome).toBe('success');
    expect(r.calls.find((c) => c.name === 'callInWindow')).toBeDefined();
  });

  test('injectScript with a cacheToken creates one script per page; later callers are queued', () => {
    const t = template(
      `const inject = require('injectScript');
       inject('https://a.test/x.js', data.gtmOnSuccess, data.gtmOnFailure, 'tok');
       inject('https://a.test/x.js', data.gtmOnSuccess, data.gtmOnFailure, 'tok');`,
      [perm('inject_script', { urls: ['https://a.test/*'] })],
    );
    const page = new SandboxPage();
    const first = page.run(t);
    expect(first.injectedScripts).toEqual([{ url: 'https://a.test/x.js', cacheToken: 'tok' }]);
    expect(first.gtmOnSuccessCount).toBe(2);
    expect(first.outcome).toBe('multiple');
    const second = page.run(t);
    expect(second.injectedScripts).toEqual([]);
    expect(second.gtmOnSuccessCount).toBe(2);
  });

  test('injectScript forgets a cacheToken whose load failed: the next call injects the script again', () => {
    // gtm.js (2018 and 2021 builds, docs/runtime.md): the failure handler sets the token's entry to
    // null, while a loaded token answers later callers with their onSuccess only.
    const t = template(
      `const inject = require('injectScript');
       const log = require('logToConsole');
       inject('https://a.test/' + data.file, function () { log('ok'); }, function () { log('failed'); }, 'tok');`,
      [perm('inject_script', { urls: ['https://a.test/*'] }), LOG_ALL],
    );
    const page = new SandboxPage({ scripts: { 'https://a.test/bad.js': 'fail' } });
    const first = page.run(t, { file: 'bad.js' });
    expect(first.injectedScripts).toEqual([{ url: 'https://a.test/bad.js', cacheToken: 'tok' }]);
    expect(first.logs).toEqual([['failed']]);
    const second = page.run(t, { file: 'good.js' });
    expect(second.injectedScripts).toEqual([{ url: 'https://a.test/good.js', cacheToken: 'tok' }]);
    expect(second.logs).toEqual([['ok']]);
    const third = page.run(t, { file: 'bad.js' });
    expect(third.injectedScripts).toEqual([]);
    expect(third.logs).toEqual([['ok']]);
  });

  test('callLater runs after the current code, sendPixel and sha256 call back asynchronously', () => {
    const r = run(
      `const log = require('logToConsole');
       require('callLater')(function () { log('later'); });
       require('sendPixel')('https://p.test/x', function () { log('pixel'); });
       require('sha256')('abc', function (d) { log(d); }, undefined, {outputEncoding: 'hex'});
       require('sha256')('abc', function (d) { log(d); });
       log('now');`,
      [LOG_ALL, perm('send_pixel', { allowedUrls: 'specific', urls: ['https://p.test/*'] })],
    );
    // The pixel's load event comes last: the network answers after the page's own later work.
    expect(r.logs).toEqual([
      ['now'],
      ['later'],
      ['ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
      ['ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='],
      ['pixel'],
    ]);
    expect(r.pixels).toEqual(['https://p.test/x']);
  });

  test('a callLater callback runs before a load asked for earlier answers; a callLater poll still sees the load', () => {
    const perms = [
      LOG_ALL,
      perm('inject_script', { urls: ['https://s.test/*'] }),
      perm('send_pixel', { allowedUrls: 'specific', urls: ['https://p.test/*'] }),
      perm('inject_hidden_iframe', { urls: ['https://f.test/*'] }),
      globals(['lib', 'read']),
    ];
    const ordered = run(
      `const log = require('logToConsole'); const callLater = require('callLater');
       require('injectScript')('https://s.test/a.js', function () { log('script');
         callLater(function () { log('after script'); }); });
       require('sendPixel')('https://p.test/x', function () { log('pixel'); });
       require('injectHiddenIframe')('https://f.test/x', function () { log('iframe'); });
       callLater(function () { log('later'); });`,
      perms,
    );
    // gtm.js: callLater is setTimeout(fn, 0); the other callbacks are the elements' load events.
    expect(ordered.logs).toEqual([['later'], ['script'], ['pixel'], ['iframe'], ['after script']]);
    // With a cacheToken, gtm.js defers even the first caller's callback with setTimeout.
    const cached = run(
      `const log = require('logToConsole');
       require('injectScript')('https://s.test/a.js', function () { log('cached script'); }, undefined, 'tok');
       require('sendPixel')('https://p.test/x', function () { log('pixel'); });`,
      perms,
    );
    expect(cached.logs).toEqual([['pixel'], ['cached script']]);
    // A template that polls with callLater until its script defined a global ends.
    const polled = run(
      `const log = require('logToConsole'); const callLater = require('callLater');
       const copyFromWindow = require('copyFromWindow');
       require('injectScript')('https://s.test/lib.js');
       let polls = 0;
       const poll = function () { polls++; if (copyFromWindow('lib')) { log('ready', polls); } else callLater(poll); };
       callLater(poll);`,
      perms,
      { scripts: { 'https://s.test/lib.js': (w: Record<string, unknown>) => void (w.lib = {}) } },
    );
    expect(polled.logs).toEqual([['ready', 2]]);
  });
});

describe('pure APIs', () => {
  test("generateRandom draws as gtm.js's helper: bounds not rounded, min above max or NaN draws from 0 to 2147483647", () => {
    const draws = (args: string) =>
      run(
        `const generateRandom = require('generateRandom'); const out = [];
         for (let i = 0; i < 300; i++) out.push(generateRandom(${args}));
         return out;`,
      ).returnValue as number[];
    // floor(random * (max - min + 1) + min): 1.5..2.5 reaches 1, 2 and 3.
    expect([...new Set(draws('1.5, 2.5'))].sort()).toEqual([1, 2, 3]);
    expect([...new Set(draws('3, 3'))]).toEqual([3]);
    for (const args of ['10, 1', '0/0, 5']) {
      const values = draws(args);
      expect(values.every((v) => Number.isInteger(v) && v >= 0 && v <= 2147483647)).toBe(true);
      expect(values.some((v) => v > 10)).toBe(true);
    }
  });

  test("generateRandom's arguments are checked before the call, as gtm.js checks them", () => {
    const call = (expr: string) => run(`const generateRandom = require('generateRandom'); return ${expr};`);
    expect(call('generateRandom(2, 2)').returnValue).toBe(2);
    const text = call("generateRandom('1', 3)");
    expect(text.outcome).toBe('error');
    expect(text.error).toBe(
      'Error in generateRandom. Argument min has type string, which does not match required type number.',
    );
    expect(call('generateRandom(1)').error).toBe(
      'Error in generateRandom. Required argument max not supplied.',
    );
    expect(call('generateRandom(1, null)').error).toBe(
      'Error in generateRandom. Required argument max not supplied.',
    );
    expect(call('generateRandom([1], 2)').error).toMatch(/Argument min has type Array, which does not match/);
  });

  test('encodeUri and encodeUriComponent convert what is not a string, as current gtm.js does', () => {
    const r = run(
      `const encodeUri = require('encodeUri'); const encodeUriComponent = require('encodeUriComponent');
       return [encodeUriComponent(12), encodeUriComponent(undefined), encodeUri(null), encodeUri({key: 'value'})];`,
    );
    expect(r.returnValue).toEqual(['12', 'undefined', 'null', '%5Bobject%20Object%5D']);
  });

  test('makeTableMap is null when nothing was added', () => {
    const r = run(
      `const m = require('makeTableMap');
       return [m([], 'k', 'v'), m([{k: 'a', v: 1}, {k: 'b', v: 2}], 'k', 'v'), m([{x: 1}], 'k', 'v'), m(undefined, 'k', 'v')];`,
    );
    expect(r.returnValue).toEqual([null, { a: 1, b: 2 }, null, null]);
  });

  test('makeTableMap takes a row only when it holds both named columns, as gtm.js does', () => {
    const r = run(
      `const m = require('makeTableMap');
       const half = m([{k: 'a'}, {k: 'b', v: 2}, {v: 3}], 'k', 'v');
       return [half, half.hasOwnProperty('a'), m([{k: 'a'}], 'k', 'v'), m([{k: 'u', v: undefined}], 'k', 'v'),
               m([['k', 'v'], {k: 1, v: 'one'}], 'k', 'v'), m([{key: 'a', value: 1}])];`,
    );
    expect(r.returnValue).toEqual([{ b: 2 }, false, null, { u: undefined }, { '1': 'one' }, null]);
    expect(Object.keys((r.returnValue as unknown[])[3] as object)).toEqual(['u']);
  });

  test('JSON.parse returns undefined on bad input; stringify undefined on cycles', () => {
    const r = run(
      `const J = require('JSON'); const o = {}; o.self = o;
       return [J.parse('{"a":[1,2]}'), J.parse('{bad'), J.parse(12), J.stringify({a: [1, 'x']}), J.stringify(o)];`,
    );
    expect(r.returnValue).toEqual([{ a: [1, 2] }, undefined, 12, '{"a":[1,"x"]}', undefined]);
  });

  test('makeInteger rounds to the nearest integer and reads what is not a number as 0', () => {
    const r = run(
      `const makeInteger = require('makeInteger');
       return [makeInteger(45.89), makeInteger('7.5'), makeInteger(-2.4), makeInteger(-2.6), makeInteger(42),
               makeInteger('abc'), makeInteger(undefined), makeInteger(null), makeInteger(true), makeInteger('')];`,
    );
    expect(r.returnValue).toEqual([46, 8, -2, -3, 42, 0, 0, 0, 1, 0]);
  });

  test('getType, make*, Math, Object', () => {
    const r = run(
      `const t = require('getType'); const O = require('Object'); const M = require('Math');
       const frozen = O.freeze({a: 1}); frozen.a = 2; const d = {a: 1, b: 2};
       return [[t(undefined), t(null), t(true), t(1), t('s'), t([]), t({}), t(function () {})],
               require('makeString')(12), require('makeNumber')('3.5'), require('makeInteger')('7.9'),
               M.max(1, 5, 3), M.round(2.5), M.pow(2, 10), O.keys({x: 1, y: 2}), O.values({x: 1}), O.entries({x: 1}),
               frozen.a, O.delete(d, 'a'), d, O.delete([1], 0)];`,
    );
    expect(r.returnValue).toEqual([
      ['undefined', 'null', 'boolean', 'number', 'string', 'array', 'object', 'function'],
      '12',
      3.5,
      8,
      5,
      3,
      1024,
      ['x', 'y'],
      [1],
      [['x', 1]],
      1,
      true,
      { b: 2 },
      false,
    ]);
  });

  test('encodings and base64 (UTF-8), with undefined on bad input', () => {
    const r = run(
      `return [require('encodeUriComponent')('a b&c'), require('encodeUri')('https://x.test/a b'), require('decodeUriComponent')('%E0%A4%A'),
               require('toBase64')('hello'), require('toBase64')('äö€'), require('fromBase64')('aGVsbG8='), require('fromBase64')('w6TDtuKCrA=='),
               require('fromBase64')('!!!')];`,
    );
    expect(r.returnValue).toEqual([
      'a%20b%26c',
      'https://x.test/a%20b',
      undefined,
      'aGVsbG8=',
      'w6TDtuKCrA==',
      'hello',
      'äö€',
      undefined,
    ]);
  });

  test('generateRandom is seeded and within range; timestamps come from the world', () => {
    const code = `const g = require('generateRandom'); const out = []; for (let i = 0; i < 50; i++) out.push(g(1, 6)); return [out, require('getTimestampMillis')()];`;
    const a = run(code, [], { random: 7, timestamp: 1234 }).returnValue as [number[], number];
    const b = run(code, [], { random: 7, timestamp: 1234 }).returnValue as [number[], number];
    expect(a).toEqual(b);
    expect(a[1]).toBe(1234);
    expect(a[0].every((n) => Number.isInteger(n) && n >= 1 && n <= 6)).toBe(true);
    expect(new Set(a[0]).size).toBeGreaterThan(3);
  });

  test('parseUrl', () => {
    const r = run(
      `return require('parseUrl')('https://u:p@example.com:8080/foo?param=val%2Cue&baz=1&baz=2#bar');`,
    );
    expect(r.returnValue).toMatchObject({
      protocol: 'https:',
      username: 'u',
      password: 'p',
      hostname: 'example.com',
      port: '8080',
      pathname: '/foo',
      searchParams: { param: 'val,ue', baz: ['1', '2'] },
      hash: '#bar',
    });
    expect(run(`return require('parseUrl')('not a url');`).returnValue).toBeUndefined();
  });

  test("parseUrl's searchParams hold the query's own keys, as gtm.js builds them", () => {
    const r = run(
      `return require('parseUrl')('https://x.test/?constructor=1&toString=2&toString=3').searchParams;`,
    );
    expect(r.returnValue).toEqual({ constructor: '1', toString: ['2', '3'] });
  });
});

describe('page state APIs', () => {
  test('logToConsole: debug logs only in debug mode, all always', () => {
    const code = `require('logToConsole')('x', {a: 1});`;
    expect(run(code, [perm('logging', { environments: 'debug' })]).logs).toEqual([]);
    expect(run(code, [perm('logging', { environments: 'debug' })], { debugMode: true }).logs).toEqual([
      ['x', { a: 1 }],
    ]);
    expect(run(code, [LOG_ALL]).logs).toEqual([['x', { a: 1 }]]);
  });

  test('cookies: read decoded values, set records and updates the jar', () => {
    const r = run(
      `const before = require('getCookieValues')('c'); require('setCookie')('n', 'a b', {domain: 'auto', path: '/'});
       return [before, require('getCookieValues')('n'), require('getCookieValues')('c', false)];`,
      [
        perm('get_cookies', { cookieAccess: 'specific', cookieNames: ['c', 'n'] }),
        perm('set_cookies', {
          allowedCookies: [{ name: 'n', domain: '*', path: '*', secure: 'any', session: 'any' }],
        }),
      ],
      { cookies: 'c=x%20y; c=2' },
    );
    expect(r.returnValue).toEqual([['x y', '2'], ['a b'], ['x%20y', '2']]);
    expect(r.cookiesSet).toEqual([
      { name: 'n', value: 'a b', options: { domain: 'auto', path: '/' }, encode: true },
    ]);
  });

  test("getCookieValues reads as gtm.js's cookie reader: trimmed, decoded unless decode is falsy, malformed escapes throw", () => {
    const get = (args: string, cookies: string) =>
      run(`return require('getCookieValues')(${args});`, [perm('get_cookies', { cookieAccess: 'any' })], {
        cookies,
      });
    const cookies = 'c = a%20b ; c=; other=x; c=%41';
    expect(get(`'c'`, cookies).returnValue).toEqual(['a b', '', 'A']);
    expect(get(`'c', true`, cookies).returnValue).toEqual(['a b', '', 'A']);
    expect(get(`'c', null`, cookies).returnValue).toEqual(['a%20b', '', '%41']);
    expect(get(`'c', 0`, cookies).returnValue).toEqual(['a%20b', '', '%41']);
    expect(get(`'c', false`, cookies).returnValue).toEqual(['a%20b', '', '%41']);
    expect(get(`'bad'`, 'bad=%E0%A4%A').error).toBe('Error in getCookieValues. URI malformed: %E0%A4%A');
    expect(get(`'bad', false`, 'bad=%E0%A4%A').returnValue).toEqual(['%E0%A4%A']);
  });

  test('setCookie deletes a cookie whose expires date has passed; max-age wins over expires', () => {
    const r = run(
      `const setCookie = require('setCookie'); const get = require('getCookieValues');
       setCookie('gone', '', {expires: 'Thu, 01 Jan 1970 00:00:00 GMT'});
       setCookie('kept', 'v', {expires: 'Thu, 01 Jan 1970 00:00:00 GMT', 'max-age': 60});
       setCookie('later', 'v', {expires: 'Fri, 01 Jan 2100 00:00:00 GMT'});
       return [get('gone'), get('kept'), get('later')];`,
      [
        perm('get_cookies', { cookieAccess: 'any' }),
        perm('set_cookies', {
          allowedCookies: [{ name: '*', domain: '*', path: '*', secure: 'any', session: 'any' }],
        }),
      ],
      { cookies: 'gone=1; kept=1', timestamp: Date.UTC(2026, 0, 1) },
    );
    expect(r.returnValue).toEqual([[], ['v'], ['v']]);
  });

  test('localStorage and templateStorage', () => {
    const t = template(
      `const ls = require('localStorage'); const ts = require('templateStorage');
       const seen = [ls.getItem('k'), ls.getItem('none'), ts.getItem('runs') || 0];
       ls.setItem('k', 2); ts.setItem('runs', seen[2] + 1); return seen;`,
      [
        perm('access_local_storage', {
          keys: [
            { key: 'k', read: true, write: true },
            { key: 'none', read: true, write: false },
          ],
        }),
        perm('access_template_storage'),
      ],
    );
    const page = new SandboxPage({ localStorage: { k: '1' } });
    expect(page.run(t).returnValue).toEqual(['1', null, 0]);
    const second = page.run(t);
    expect(second.returnValue).toEqual(['2', null, 1]);
    expect(second.localStorage).toEqual({ k: '2' });
  });

  test('localStorage.setItem returns true once stored, false when the storage refuses; removeItem returns nothing', () => {
    const code = `const ls = require('localStorage');
       return [ls.setItem('k', 'v'), ls.getItem('k'), ls.removeItem('k'), ls.getItem('k')];`;
    const perms = [perm('access_local_storage', { keys: [{ key: 'k', read: true, write: true }] })];
    expect(run(code, perms).returnValue).toEqual([true, 'v', undefined, null]);
    const page = new SandboxPage();
    const refusing = page.page.host.localStorage;
    const original = refusing.setItem;
    refusing.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    try {
      expect(page.run(template(`return require('localStorage').setItem('k', 'v');`, perms)).returnValue).toBe(
        false,
      );
    } finally {
      refusing.setItem = original;
    }
  });

  test('templateStorage.getItem reads null for a key never stored, and the value once stored', () => {
    const t = template(
      `const ts = require('templateStorage');
       const before = [ts.getItem('k'), ts.getItem('k') === null];
       ts.setItem('k', 0); ts.setItem('u', undefined);
       const after = [ts.getItem('k'), ts.getItem('u') === undefined];
       ts.removeItem('k');
       return [before, after, ts.getItem('k')];`,
      [perm('access_template_storage')],
    );
    expect(new SandboxPage().run(t).returnValue).toEqual([[null, true], [0, true], null]);
  });

  test('copyFromDataLayer reads the merged data layer model', () => {
    const r = run(
      `const c = require('copyFromDataLayer'); return [c('ecommerce.items'), c('user.id'), c('nope')];`,
      [perm('read_data_layer', { allowedKeys: 'any' })],
      { dataLayer: [{ user: { id: 1, n: 'a' } }, { ecommerce: { items: [1] } }, { user: { id: 2 } }] },
    );
    expect(r.returnValue).toEqual([[1], 2, undefined]);
  });

  test('read_data_layer: a pattern is dotted names with a final .* at most, and a key must be dotted names', () => {
    const ask = (patterns: string[], key: string) =>
      run(`return require('queryPermission')('read_data_layer', '${key}');`, [
        perm('read_data_layer', { allowedKeys: 'specific', keyPatterns: patterns }),
      ]).returnValue;
    // `a.*` covers `a` and everything below it; other keys match exactly, case-sensitively.
    expect(['ecommerce', 'ecommerce.items', 'ecommerce.a.b'].map((k) => ask(['ecommerce.*'], k))).toEqual([
      true,
      true,
      true,
    ]);
    expect([
      ask(['ecommerce.*'], 'ecommerceX'),
      ask(['user.id'], 'user.ID'),
      ask(['user.id'], 'user'),
    ]).toEqual([false, false, false]);
    // A key part that is not a name is denied, even under a pattern that covers it.
    expect([
      ask(['items.*'], 'items.0'),
      ask(['user_data.*'], 'user_data.e-mail'),
      ask(['a.*'], 'a..b'),
    ]).toEqual([false, false, false]);
    // A `*` anywhere but a final `.*` makes the pattern invalid: it matches nothing, and denies
    // every key the patterns before it did not allow.
    expect([ask(['ecommerce*'], 'ecommerce'), ask(['*'], 'a'), ask(['a.*.b'], 'a.x.b')]).toEqual([
      false,
      false,
      false,
    ]);
    expect([ask(['a', 'b*', 'c'], 'a'), ask(['a', 'b*', 'c'], 'c')]).toEqual([true, false]);
    const denied = run(`return require('copyFromDataLayer')('items.0');`, [
      perm('read_data_layer', { allowedKeys: 'specific', keyPatterns: ['items.*'] }),
    ]);
    expect(denied.outcome).toBe('error');
    expect(denied.error).toMatch(/not a dotted path of names/);
  });

  test('copyFromDataLayer walks a path as gtm.js does: a null on the way reads false, a string has its length', () => {
    const r = run(
      `const c = require('copyFromDataLayer');
       return [c('none.x'), c('none'), c('title.length'), c('items.length'), c('missing.x.y'), c('count.x'), c('no.x', 1)];`,
      [perm('read_data_layer', { allowedKeys: 'any' })],
      { dataLayer: [{ none: null, title: 'Home', items: [1, 2], count: 3, no: null }] },
    );
    expect(r.returnValue).toEqual([false, null, 4, 2, undefined, undefined, undefined]);
  });

  test('copyFromDataLayer: dotted keys are paths, arrays merge by index unless _clear, version 1 is flat', () => {
    const r = run(
      `const c = require('copyFromDataLayer');
       return [c('gtm.start'), c('gtm'), c('items'), c('cart'), c('a.b', 1), c('a', 1), c('cmd')];`,
      [perm('read_data_layer', { allowedKeys: 'any' })],
      {
        dataLayer: [
          { 'gtm.start': 5, event: 'gtm.js' },
          { 'gtm.uniqueEventId': 2 },
          { items: [{ id: 1, q: 1 }, { id: 2 }] },
          { items: [{ q: 3 }] },
          { cart: { a: [1, 2], b: [1, 2] } },
          { cart: { a: [9] } },
          { cart: { b: [9], _clear: true } },
          { 'a.b': 'flat', a: { b: 'nested' } },
          (function (..._args: unknown[]) {
            // eslint-disable-next-line prefer-rest-params
            return arguments;
          })('cmd', 1),
        ],
      },
    );
    expect(r.returnValue).toEqual([
      5,
      { start: 5, uniqueEventId: 2 },
      [{ id: 1, q: 3 }, { id: 2 }],
      { a: [9, 2], b: [9] },
      'flat',
      { b: 'nested' },
      undefined,
    ]);
  });

  test('consent: unset counts as granted; default/update commands apply at the end of the event', () => {
    const perms = [
      perm('access_consent', { consentTypes: [{ consentType: 'ad_storage', read: true, write: true }] }),
    ];
    const page = new SandboxPage({ consent: { analytics_storage: 'denied' } });
    const t = template(
      `const g = require('isConsentGranted'); const now = g('ad_storage');
       require('updateConsentState')({ad_storage: 'denied'}); return [now, g('ad_storage')];`,
      perms,
    );
    const first = page.run(t);
    expect(first.returnValue).toEqual([true, true]);
    expect(first.consentCommands).toEqual([{ command: 'update', settings: { ad_storage: 'denied' } }]);
    expect(page.run(t).returnValue).toEqual([false, false]);
    expect(run(`require('isConsentGranted')('analytics_storage');`, perms).error).toMatch(
      /analytics_storage/,
    );
  });

  test("getContainerVersion's keys come in gtm.js's order", () => {
    const r = run(`return require('JSON').stringify(require('getContainerVersion')());`, [
      perm('read_container_data'),
    ]);
    expect(Object.keys(JSON.parse(r.returnValue as string))).toEqual([
      'containerId',
      'version',
      'environmentName',
      'debugMode',
      'previewMode',
      'environmentMode',
    ]);
  });

  test('container data, title, character set, event callbacks', () => {
    const r = run(
      `require('addEventCallback')(function (id, ev) { data.gtmOnSuccess(); });
       return [require('getContainerVersion')().containerId, require('readTitle')(), require('readCharacterSet')()];`,
      [
        perm('read_container_data'),
        perm('read_title'),
        perm('read_character_set'),
        perm('read_event_metadata'),
      ],
      { title: 'Hello', containerVersion: { containerId: 'GTM-TEST' } },
    );
    expect(r.returnValue).toEqual(['GTM-TEST', 'Hello', 'UTF-8']);
    expect(r.outcome).toBe('success');
  });

  test('every API of the catalog is implemented in each context it exists in', () => {
    // A catalog entry without an implementation would fail every template using it with
    // "not supported: X"; GTM provides all of them.
    const missing = Object.entries(SANDBOX_APIS).flatMap(([name, info]) =>
      info.contexts.filter((c) => !implementedApi(name, c)).map((c) => `${name} (${c})`),
    );
    expect(missing).toEqual([]);
    expect(run(`require('noSuchApi');`).errorCode).toBe('sandbox/unknown-api');
  });

  test("an API object has the methods the catalog gives it (the checker's js/unknown-api-member reads them)", () => {
    const mismatches = Object.entries(SANDBOX_APIS).flatMap(([name, info]) =>
      info.members
        ? info.contexts.flatMap((c) => {
            const def = implementedApi(name, c);
            const offered = def && isObjectApi(def) ? Object.keys(def.methods).sort() : [];
            const expected = [...info.members!].sort();
            return offered.join(' ') === expected.join(' ') ? [] : [`${name} (${c}): ${offered.join(' ')}`];
          })
        : [],
    );
    expect(mismatches).toEqual([]);
  });
});

describe('outcomes', () => {
  test.each([
    ['data.gtmOnSuccess();', 'success'],
    ['data.gtmOnFailure();', 'failure'],
    ['', 'none'],
    ['data.gtmOnSuccess(); data.gtmOnFailure();', 'multiple'],
    ['data.nothing();', 'error'],
  ])('%s → %s', (code, outcome) => {
    expect(run(code).outcome).toBe(outcome);
  });
});

describe('context and analytics storage', () => {
  test('readAnalyticsStorage reads the _ga cookies', () => {
    const r = run(`return require('readAnalyticsStorage')();`, [perm('read_analytics_storage')], {
      cookies: { _ga: 'GA1.1.1234.5678', _ga_ABC: 'GS1.1.1700000000.3.1.1700000100.0.0.0' },
    });
    expect(r.returnValue).toEqual({
      client_id: '1234.5678',
      sessions: [{ measurement_id: 'G-ABC', session_id: '1700000000', session_number: 3 }],
    });
  });

  test("readAnalyticsStorage reads gtag's GS2 session cookies too (fields by letter, in any order)", () => {
    const r = run(`return require('readAnalyticsStorage')();`, [perm('read_analytics_storage')], {
      cookies: {
        _ga: 'GA1.1.1234.5678',
        _ga_NEW: 'GS2.1.s1747132561$o4$g0$t1747132655$j0$l0$h0',
        _ga_ODD: 'GS2.1.o2$s1747000000$g1',
      },
    });
    expect(r.returnValue).toEqual({
      client_id: '1234.5678',
      sessions: [
        { measurement_id: 'G-NEW', session_id: '1747132561', session_number: 4 },
        { measurement_id: 'G-ODD', session_id: '1747000000', session_number: 2 },
      ],
    });
  });

  test('readAnalyticsStorage with a cookie_prefix reads the cookies gtag names with that prefix', () => {
    // gtag's cookie_prefix 'example' renames _ga to example_ga (Google's gtag.js cookie guide).
    const r = run(
      `return require('readAnalyticsStorage')({cookie_prefix: 'example'});`,
      [perm('read_analytics_storage')],
      {
        cookies: {
          _ga: 'GA1.1.1.1',
          example_ga: 'GA1.1.1234.5678',
          example_ga_ABC: 'GS1.1.1700000000.3.1.1700000100.0.0.0',
          example__ga: 'GA1.1.9.9',
        },
      },
    );
    expect(r.returnValue).toEqual({
      client_id: '1234.5678',
      sessions: [{ measurement_id: 'G-ABC', session_id: '1700000000', session_number: 3 }],
    });
  });

  test('a web-only API is not available to server templates', () => {
    const t = { ...template(`require('injectScript');`), context: 'SERVER' as const };
    const r = runTemplate(t, {});
    expect(r.errorCode).toBe('sandbox/unknown-api');
    expect(r.error).toMatch(/not available in server templates/);
  });

  test('after a failed run, its queued callbacks do not leak into the next firing', () => {
    const page = new SandboxPage();
    const failing = template(`require('callLater')(function () { data.gtmOnSuccess(); }); data.nothing();`);
    expect(page.run(failing).outcome).toBe('error');
    expect(page.run(template('')).gtmOnSuccessCount).toBe(0);
  });
});

describe('more page APIs', () => {
  test('getReferrerUrl and getReferrerQueryParameters read the referrer', () => {
    const r = run(
      `return [require('getReferrerUrl')(), require('getReferrerUrl')('host'), require('getReferrerUrl')('query'),
               require('getReferrerQueryParameters')('q', true)];`,
      [perm('get_referrer', { urlParts: 'any', queriesAllowed: 'any' })],
      { referrer: 'https://ref.test/a?q=1&q=2' },
    );
    expect(r.returnValue).toEqual(['https://ref.test/a?q=1&q=2', 'ref.test', 'q=1&q=2', ['1', '2']]);
  });

  test('injectHiddenIframe records the frame and calls back when it loads', () => {
    const r = run(`require('injectHiddenIframe')('https://f.test/frame', data.gtmOnSuccess);`, [
      perm('inject_hidden_iframe', { urls: ['https://f.test/*'] }),
    ]);
    expect(r.iframes).toEqual(['https://f.test/frame']);
    expect(r.outcome).toBe('success');
    expect(
      run(`require('injectHiddenIframe')('https://x.test/');`, [
        perm('inject_hidden_iframe', { urls: ['https://f.test/*'] }),
      ]).errorCode,
    ).toBe('sandbox/permission-denied');
  });

  test('gtagSet checks write_data_layer for every flattened key', () => {
    const perms = [perm('write_data_layer', { keyPatterns: ['ads_data_redaction', 'developer_id.*'] })];
    const ok = run(`require('gtagSet')({ads_data_redaction: true, developer_id: {dX: true}});`, perms);
    expect(ok.gtagSets).toEqual([{ ads_data_redaction: true, developer_id: { dX: true } }]);
    const denied = run(`require('gtagSet')({url_passthrough: true});`, perms);
    expect(denied.error).toMatch(/write_data_layer.*url_passthrough/);
  });

  /** Both consent types read and written, and logging: what the consent tests below need. */
  const CONSENT_AND_LOG = [
    perm('access_consent', {
      consentTypes: [
        { consentType: 'ad_storage', read: true, write: true },
        { consentType: 'analytics_storage', read: true, write: true },
      ],
    }),
    LOG_ALL,
  ];

  test("consent commands change state as gtm.js's consent state does: defaults notify no listener, updates win", () => {
    const perms = CONSENT_AND_LOG;
    const listen = `const log = require('logToConsole');
      require('addConsentListener')('ad_storage', function (type, granted) { log(type, granted); });
      require('addConsentListener')('analytics_storage', function (type, granted) { log(type, granted); });`;
    // A default changes the state but notifies no listener.
    const byDefault = run(`${listen} require('setDefaultConsentState')({ad_storage: 'denied'});`, perms);
    expect(byDefault.logs).toEqual([]);
    // An update notifies when the state changes, or when the default waited for an update.
    const waited = run(
      `${listen} require('setDefaultConsentState')({analytics_storage: 'denied', wait_for_update: 500});
       require('updateConsentState')({analytics_storage: 'denied', ad_storage: null});`,
      perms,
      { consent: { ad_storage: 'granted' } },
    );
    expect(waited.logs).toEqual([['analytics_storage', false]]);
    // Across firings on one page: a later default replaces an earlier one unless that one denied,
    // and an update wins over every default; null changes nothing.
    const page = new SandboxPage();
    const step = (code: string) =>
      page.run(template(`const now = require('isConsentGranted')('ad_storage'); ${code} return now;`, perms))
        .returnValue;
    step(`require('setDefaultConsentState')({ad_storage: 'granted'});`);
    expect(step(`require('setDefaultConsentState')({ad_storage: 'denied'});`)).toBe(true);
    expect(step(`require('setDefaultConsentState')({ad_storage: 'granted'});`)).toBe(false);
    expect(step(`require('updateConsentState')({ad_storage: 'granted'});`)).toBe(false);
    expect(step(`require('setDefaultConsentState')({ad_storage: 'denied'});`)).toBe(true);
    expect(step(`require('updateConsentState')({ad_storage: null});`)).toBe(true);
    expect(step('')).toBe(true);
  });

  test("addConsentListener's listeners are the page's: any template's update reaches them, in order, each in its own template", () => {
    const consent = perm('access_consent', {
      consentTypes: [
        { consentType: 'ad_storage', read: true, write: true },
        { consentType: 'analytics_storage', read: true, write: true },
      ],
    });
    // The listening template may write `heard`; the updating one may not, so a listener that ran
    // with the updater's permissions would fail.
    const listener = template(
      `const heard = require('copyFromWindow')('heard') || [];
       const add = require('addConsentListener');
       const setInWindow = require('setInWindow');
       add('analytics_storage', function (type, granted) {
         heard.push([type, granted]); setInWindow('heard', heard, true);
       });
       add('ad_storage', function () { return undefined.boom; });
       add('ad_storage', function () { for (;;) {} });
       add('ad_storage', function (type, granted) {
         heard.push([type, granted]); setInWindow('heard', heard, true);
       });
       data.gtmOnSuccess();`,
      [consent, globals(['heard', 'readwrite'])],
    );
    const updater = template(
      `require('updateConsentState')({ad_storage: 'granted', analytics_storage: 'denied'});
       data.gtmOnSuccess();`,
      [consent],
    );
    const page = new SandboxPage({ consent: { ad_storage: 'denied' }, timeLimitMs: 100 });
    expect(page.run(listener).outcome).toBe('success');
    const update = page.run(updater);
    // The listeners that threw or ran out of time failed alone: the update's run succeeds, and the
    // listeners after them still ran; each listener once, in the order they were added.
    expect(update.error).toBeUndefined();
    expect(update.outcome).toBe('success');
    expect(update.window.heard).toEqual([
      ['analytics_storage', false],
      ['ad_storage', true],
    ]);
  });

  test('a consent command given before the firing failed still takes effect at the end of its event', () => {
    const page = new SandboxPage();
    const failing = template(
      `require('updateConsentState')({ad_storage: 'denied'});
       require('injectScript')('https://not-allowed.test/x.js');`,
      CONSENT_AND_LOG,
    );
    const r = page.run(failing);
    expect(r.outcome).toBe('error');
    expect(r.error).toMatch(/inject_script/);
    // Pushed to the data layer when it was called: processed after the event, as for any tag.
    expect(page.page.consentGranted('ad_storage')).toBe(false);
  });

  test('addConsentListener hears changes from denied to granted and back, not unset to granted', () => {
    const perms = CONSENT_AND_LOG;
    const r = run(
      `const log = require('logToConsole');
       require('addConsentListener')('ad_storage', function (type, granted) { log(type, granted); });
       require('addConsentListener')('analytics_storage', function (type, granted) { log(type, granted); });
       require('updateConsentState')({ad_storage: 'granted', analytics_storage: 'granted'});`,
      perms,
      { consent: { ad_storage: 'denied' } },
    );
    expect(r.logs).toEqual([['ad_storage', true]]);
  });
});
